-- wrk script: POST /login round-robin over accounts, each from its own address.
-- Usage: wrk ... -s bench/auth/logins.lua URL -- ACCOUNTS_FILE
-- ACCOUNTS_FILE: one "email address" per line; every account's password is PASSWORD below.
local PASSWORD = "correct horse battery staple"
local accounts = {}
local n = 0

function init(args)
  for line in io.lines(args[1]) do
    local email, ip = line:match("(%S+) (%S+)")
    accounts[#accounts + 1] = { email = email, ip = ip }
  end
end

function request()
  n = n + 1
  local a = accounts[(n % #accounts) + 1]
  return wrk.format("POST", "/api/v1/auth/login",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = a.ip },
    '{"email":"' .. a.email .. '","password":"' .. PASSWORD .. '"}')
end
