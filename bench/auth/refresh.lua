-- POST /refresh with rotation: every response's new refresh token is the next request's token, so
-- no token is used twice. Each thread takes its share of the tokens in $TOKENS_FILE.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  local n = 0
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    n = n + 1
    if (n % tonumber(os.getenv("WRK_THREADS"))) + 1 == id then table.insert(tokens, line) end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local token = table.remove(tokens)
  if token == nil then
    -- more connections than tokens in this thread: nothing valid to send, ask for a bad one (counted as non-2xx)
    token = "exhausted"
  end
  return wrk.format(nil, nil, nil, '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  local next = body:match('"refreshToken":"([%w_-]+)"')
  if next then table.insert(tokens, next) end
end
