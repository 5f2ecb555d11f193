"""Smoke test of an installed arichat wheel (run by wheel.sh in a fresh venv, cwd examples/).

Imports the package from site-packages (not the source tree), normalizes a signed sample
webhook after verifying it, and scores a pyarrow table with the demo's scorecard.
"""
import json
import pathlib
import sys

import pyarrow as pa

import arichat

assert "site-packages" in arichat.__file__, arichat.__file__

demo = pathlib.Path("data/demo")
manifest = json.loads((demo / "manifest.json").read_text())
entry = next(w for w in manifest["webhooks"] if w["file"] == "wa-01-ad-click.json")
body = (demo / entry["file"]).read_bytes()
arichat.verify_signature(body, entry["headers"]["X-Hub-Signature-256"], [manifest["app_secret"]])
events = arichat.normalize("whatsapp", body)
assert [e["kind"] for e in events] == ["message"], events
assert events[0]["channel_account_id"] == manifest["accounts"]["whatsapp"], events[0]

card = arichat.Scorecard.from_file(demo / "scorecard.toml")
table = pa.table({
    "channel": ["whatsapp", "telegram"],
    "from_ad": [True, False],
    "has_phone": [True, False],
    "country": ["CO", "US"],
})
scored = card.score_table(table)
totals = scored.column("total").to_pylist()
assert totals[0] > totals[1], totals
one = card.score({"channel": "whatsapp", "from_ad": True, "has_phone": True, "country": "CO"})
assert one["total"] == totals[0], (one, totals)

print(f"arichat {arichat.__version__} wheel ok on Python {sys.version.split()[0]}: "
      f"{len(events)} event, totals {totals}")
