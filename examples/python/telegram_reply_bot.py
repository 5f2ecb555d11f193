"""A Telegram reply bot on long polling: getUpdates -> normalize -> classify -> reply.

Every step runs in the Rust core through the ``arichat`` package: the HTTP client
(retries, rate limits, typed errors, the token kept out of every error), the webhook
normalizer (a ``getUpdates`` result is the same JSON as a webhook body), the intent
classifier and the reply preflight.

    ARICHAT_TOKEN=123456:ABC-DEF python examples/python/telegram_reply_bot.py

Environment:

- ``ARICHAT_TOKEN`` (or ``TELEGRAM_BOT_TOKEN``): the bot token from @BotFather.
- ``ARICHAT_API_BASE``: another Bot API root (a local Bot API server or a test server).
- ``ARICHAT_POLL_TIMEOUT``: long-poll seconds per request (default 30).
- ``ARICHAT_MAX_UPDATES``: stop after answering this many updates (default: run forever).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any, Dict, Optional

import arichat

ANSWERS = {
    "greeting": "¡Hola! ¿En qué te puedo ayudar?",
    "price_inquiry": "Te paso los precios enseguida.",
    "purchase_intent": "¡Genial! Un asesor te contacta para cerrar la compra.",
    "scheduling": "¿Qué día y hora te quedan bien?",
    "support": "Lamento el problema; un agente lo revisa ahora.",
    "opt_out": "Listo, no te enviaremos más promociones.",
}
FALLBACK = "Gracias por escribirnos; te respondemos pronto."


def answer_for(text: str) -> str:
    """The canned answer for the text's primary intent (the Rust classifier)."""
    intent = arichat.classify(text)["primary"]
    return ANSWERS.get(intent, FALLBACK)


async def handle(client: arichat.AsyncTelegramClient, update: Dict[str, Any], bot_id: str) -> Optional[str]:
    """Normalizes one update and answers a text message; returns the answer sent."""
    body = json.dumps(update).encode()
    for event in arichat.normalize("telegram", body, account=bot_id):
        if event["kind"] != "message" or event.get("direction") != "inbound":
            continue
        content = event.get("content", {})
        if content.get("type") != "text":
            continue
        contact = event.get("contact", {}).get("identity", {}).get("user_id")
        # Answer in the chat the message came from (the contact's own chat when private).
        chat = str(update.get("message", {}).get("chat", {}).get("id") or contact or "")
        if not chat:
            continue
        text = answer_for(content["body"])
        conversation = {"channel": "telegram", "contact_id": contact or chat}
        try:
            await client.reply(conversation, chat, {"type": "text", "body": text})
        except arichat.SendError as err:
            # blocked_by_user is an opt-out signal: record it in the consent ledger.
            print(f"reply to {chat} failed ({err.code}, {err.attempts} attempts): {err}", file=sys.stderr)
            return None
        print(json.dumps({"chat": chat, "intent_answer": text}), flush=True)
        return text
    return None


async def main() -> int:
    token = os.environ.get("ARICHAT_TOKEN") or os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("set ARICHAT_TOKEN to the bot token", file=sys.stderr)
        return 2
    client = arichat.AsyncTelegramClient(token, api_base=os.environ.get("ARICHAT_API_BASE"))
    bot_id = token.split(":", 1)[0]
    poll_timeout = int(os.environ.get("ARICHAT_POLL_TIMEOUT", "30"))
    max_updates = int(os.environ.get("ARICHAT_MAX_UPDATES", "0")) or None
    offset: Optional[int] = None
    handled = 0
    while max_updates is None or handled < max_updates:
        try:
            updates = await client.get_updates(offset=offset, timeout=poll_timeout)
        except arichat.SendError as err:
            # The client already retried; wait a little and poll again.
            print(f"getUpdates failed ({err.code}): {err}", file=sys.stderr)
            await asyncio.sleep(5)
            continue
        for update in updates:
            offset = int(update["update_id"]) + 1
            await handle(client, update, bot_id)
            handled += 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
