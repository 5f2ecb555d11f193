#!/usr/bin/env python3
"""Writes the quickstart's sample webhooks (invented conversations, in each vendor's
documented wire format) and a manifest with the headers each platform would send.

Run from this folder: python3 make_samples.py. The demo verifies every body with
the demo secrets below, exactly as a host would in production.
"""
import hashlib, hmac, json, pathlib

APP_SECRET = "demo-app-secret"          # Meta app secret (WhatsApp, Messenger, Instagram)
TELEGRAM_SECRET = "demo-telegram-secret"
T0 = 1773150000  # 2026-03-10T13:40:00Z; the demo runs "now" = 2026-03-10T15:00:00Z

WA_PNID, WA_DISPLAY = "106540352242922", "15550783881"
PAGE_ID, IG_ID, BOT_ID = "108457282031234", "17841400008460056", "7012345678"

def wa_msg(wa_id, name, mid, ts, msg, referral=None):
    m = {"from": wa_id, "id": mid, "timestamp": str(ts), **msg}
    if referral:
        m["referral"] = referral
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": WA_DISPLAY, "phone_number_id": WA_PNID},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [m]}}]}]}

def wa_text(wa_id, name, mid, ts, text, referral=None):
    return wa_msg(wa_id, name, mid, ts, {"type": "text", "text": {"body": text}}, referral)

def wa_status(mid, wa_id, status, ts):
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": WA_DISPLAY, "phone_number_id": WA_PNID},
        "statuses": [{"id": mid, "status": status, "timestamp": str(ts), "recipient_id": wa_id}]}}]}]}

def meta_msg(obj, account, sender, mid, ts_ms, text, echo=False):
    m = {"mid": mid, "text": text}
    if echo:
        m["is_echo"] = True
        s, r = account, sender
    else:
        s, r = sender, account
    return {"object": obj, "entry": [{"id": account, "time": ts_ms, "messaging": [{
        "sender": {"id": s}, "recipient": {"id": r}, "timestamp": ts_ms, "message": m}]}]}

def tg_text(update_id, user_id, first, last, mid, ts, text):
    return {"update_id": update_id, "message": {"message_id": mid, "date": ts,
        "chat": {"id": user_id, "type": "private", "first_name": first, "last_name": last},
        "from": {"id": user_id, "is_bot": False, "first_name": first, "last_name": last, "language_code": "es"},
        "text": text}}

ad = {"source_url": "https://fb.me/3cr4Wqqkv", "source_id": "120208812345670001", "source_type": "ad",
      "headline": "Crédito de libre inversión al 1,2% mensual", "body": "Escríbenos por WhatsApp",
      "media_type": "image", "image_url": "https://example.invalid/ad.jpg",
      "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP1qwkTSN"}

samples = [
    ("whatsapp", "wa-01-ad-click.json", wa_text("573001234567", "Ana Pérez", "wamid.demo.01", T0, "Hola! vi el anuncio del crédito, cuánto es la cuota para 10 millones?", ad)),
    ("whatsapp", "wa-02-followup.json", wa_text("573001234567", "Ana Pérez", "wamid.demo.02", T0 + 1500, "y si lo pago a 24 meses me hacen descuento en la tasa? porfa")),
    ("whatsapp", "wa-02-followup-redelivered.json", wa_text("573001234567", "Ana Pérez", "wamid.demo.02", T0 + 1500, "y si lo pago a 24 meses me hacen descuento en la tasa? porfa")),
    ("whatsapp", "wa-03-support.json", wa_text("5215512345678", "Jorge Ramírez", "wamid.demo.03", T0 - 80000, "me cobraron doble la cuota de febrero!! necesito el reembolso ya")),
    ("whatsapp", "wa-04-optout.json", wa_text("5511987654321", "Carla Souza", "wamid.demo.04", T0 + 2400, "não tenho interesse, por favor parem de me mandar mensagem")),
    ("whatsapp", "wa-05-buy.json", wa_text("5491155551234", "Martín Gómez", "wamid.demo.05", T0 + 3900, "Quiero abrir la cuenta hoy mismo, como hago el pago inicial?")),
    ("whatsapp", "wa-07-maybe-optout.json", wa_text("573005551234", "Lucía Herrera", "wamid.demo.07", T0 + 4200, "me tienen cansada con tanta llamada del seguro")),
    ("whatsapp", "wa-06-status.json", wa_status("wamid.demo.out.01", "5491155551234", "read", T0 + 4000)),
    ("messenger", "fb-01-price.json", meta_msg("page", PAGE_ID, "6749211238427361", "m_demo_fb_01", (T0 + 600) * 1000, "Buenas tardes, que precio tiene el seguro de auto? 🚗")),
    ("messenger", "fb-02-echo.json", meta_msg("page", PAGE_ID, "6749211238427361", "m_demo_fb_02", (T0 + 700) * 1000, "Hola Luis, el seguro arranca en $89.000 al mes", echo=True)),
    ("messenger", "fb-03-objection.json", meta_msg("page", PAGE_ID, "6749211238427361", "m_demo_fb_03", (T0 + 900) * 1000, "uy muy caro, lo voy a pensar")),
    ("instagram", "ig-01-schedule.json", meta_msg("instagram", IG_ID, "1793827364512093", "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDA4NDYwMDU2", (T0 + 1200) * 1000, "hi! can we book a call tomorrow to see the demo of the app?")),
    ("instagram", "ig-02-greeting.json", meta_msg("instagram", IG_ID, "1877364512093001", "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDA4NDYwMDU3", (T0 + 4500) * 1000, "holaaa 👋")),
    ("telegram", "tg-01-price.json", tg_text(880001, 55501234, "Sofía", "Torres", 31, T0 + 300, "Hola, cuánto cuesta el plan empresarial? y cuanto sale el envio de la tarjeta")),
    ("telegram", "tg-02-negotiate.json", tg_text(880002, 55501234, "Sofía", "Torres", 33, T0 + 2000, "si me dan 3 cuotas sin interes lo compro hoy")),
    ("telegram", "tg-03-block.json", {"update_id": 880003, "my_chat_member": {
        "chat": {"id": 66602345, "type": "private", "first_name": "Pedro"},
        "from": {"id": 66602345, "is_bot": False, "first_name": "Pedro"}, "date": T0 + 2500,
        "old_chat_member": {"user": {"id": int(BOT_ID), "is_bot": True, "first_name": "DemoBot", "username": "demo_bot"}, "status": "member"},
        "new_chat_member": {"user": {"id": int(BOT_ID), "is_bot": True, "first_name": "DemoBot", "username": "demo_bot"}, "status": "kicked", "until_date": 0}}}),
]

manifest = []
for channel, name, body in samples:
    raw = json.dumps(body, ensure_ascii=False, indent=2).encode() + b"\n"
    pathlib.Path(name).write_bytes(raw)
    if channel == "telegram":
        headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    else:
        headers = {"X-Hub-Signature-256": "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()}
    manifest.append({"file": name, "channel": channel, "headers": headers})

pathlib.Path("manifest.json").write_text(json.dumps({
    "now": "2026-03-10T15:00:00Z",
    "app_secret": APP_SECRET, "telegram_secret": TELEGRAM_SECRET,
    "accounts": {"whatsapp": WA_PNID, "messenger": PAGE_ID, "instagram": IG_ID, "telegram": BOT_ID},
    "tenant": "demo-bank",
    # Messenger and Instagram webhooks carry only ids: the names a host gets from the Graph
    # API's user profile (or its CRM) and passes in, as the demo does. One contact has none.
    "profiles": {"messenger:6749211238427361": "Camila Rojas", "instagram:1793827364512093": "Valentina Díaz"},
    "webhooks": manifest}, indent=2, ensure_ascii=False) + "\n")
