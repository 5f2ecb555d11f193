#!/usr/bin/env bash
# Starts the agent inbox locally with one command: builds the Node addon (release) when
# missing, starts a throwaway redis-server, installs the example's packages and runs
# the server. Without TELEGRAM_API_BASE it also starts the local mock of the Telegram
# Bot API (mock-telegram.js), so nothing leaves the machine; replies show in its log.
#
#   examples/agent-inbox/run.sh            # then open http://127.0.0.1:3000
set -euo pipefail

cd "$(dirname "$0")"
# shellcheck source=setup.sh
. ./setup.sh --release
npm ci --no-audit --no-fund --omit=dev

cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c"; done' EXIT
if [ -z "${REDIS_URL:-}${ARICHAT_REDIS_URL:-}" ]; then
  redis_env="$("$ROOT/scripts/redis-server.sh" start)"
  eval "$redis_env"
  cleanup+=('"$ROOT/scripts/redis-server.sh" stop')
fi
if [ -z "${TELEGRAM_API_BASE:-}" ]; then
  coproc MOCK { exec node mock-telegram.js; }
  read -r TELEGRAM_API_BASE <&"${MOCK[0]}"
  export TELEGRAM_API_BASE
  cleanup+=("kill $MOCK_PID 2>/dev/null || true")
  echo "local mock of the Telegram Bot API on $TELEGRAM_API_BASE" >&2
fi
export TELEGRAM_BOT_TOKEN="${TELEGRAM_BOT_TOKEN:-7012345678:local-demo-token}"
export TELEGRAM_SECRET_TOKEN="${TELEGRAM_SECRET_TOKEN:-local-demo-secret}"

cat >&2 <<MSG
Send a customer message:
  curl -H 'Content-Type: application/json' -H 'X-Telegram-Bot-Api-Secret-Token: $TELEGRAM_SECRET_TOKEN' \\
    -d '{"update_id":1,"message":{"message_id":1,"date":'"\$(date +%s)"',"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Ana"},"text":"quiero comprar el plan premium"}}' \\
    http://127.0.0.1:${PORT:-3000}/webhooks/telegram
MSG
node server.js
