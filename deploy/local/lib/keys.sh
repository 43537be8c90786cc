# Local development keys for auth-service, generated once into .atelier/secrets/auth/ (never committed),
# and job-worker's webhook signing secret in .atelier/secrets/jobs/.
# Production mounts its own (ATELIER_AUTH_KEYS_SIGNING_DIR, ATELIER_AUTH_KEYS_ENCRYPTION_KEY,
# ATELIER_JOBS_WEBHOOK_SECRET).

dev_keys() {
  local dir=$SECRETS/auth
  mkdir -p "$dir/signing"; chmod 700 "$dir" "$dir/signing"
  if ! ls "$dir/signing"/*.pem >/dev/null 2>&1; then
    ensure_command openssl openssl
    # The kid is the UTC minute from which the key may sign (docs/auth.md, key rotation).
    local kid; kid=$(date -u +%Y%m%dT%H%MZ)
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/signing/$kid.pem" 2>/dev/null \
      || die "could not generate the signing key"
    chmod 600 "$dir/signing/$kid.pem"
    info "generated auth signing key $kid"
  fi
  if [ ! -s "$dir/token-encryption.jwk" ]; then
    local k; k=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    printf '{"kty":"oct","kid":"enc-%s","alg":"A256KW","k":"%s"}\n' "$(date -u +%Y%m%d)" "$k" > "$dir/token-encryption.jwk"
    chmod 600 "$dir/token-encryption.jwk"
    info "generated auth token encryption key"
  fi
  if [ ! -s "$SECRETS/jobs/webhook-secret" ]; then
    mkdir -p "$SECRETS/jobs"; chmod 700 "$SECRETS/jobs"
    head -c 32 /dev/urandom | base64 | tr -d '=\n' > "$SECRETS/jobs/webhook-secret"
    chmod 600 "$SECRETS/jobs/webhook-secret"
    info "generated the job-worker webhook signing secret"
  fi
}
