#!/usr/bin/env bash
# Fuzzes glossa-server's endpoints with schemathesis (from PyPI) against its OpenAPI document:
# every answer must be documented, none a 5xx, and the server must still be up after.
#
#   scripts/fuzz-server.sh VENV MODELS [MAX_EXAMPLES]
#
# VENV has schemathesis (python3 -m venv V && V/bin/pip install schemathesis); MODELS is a folder
# to serve (glossa demo writes glossa-demo/models). So that the generated requests reach the
# models and not only the 404 of an unknown name, the document is fuzzed with each endpoint's
# `model` narrowed to the names served for it (read from /v1/models), and /v1/transcribe's WAV
# body as any bytes.
set -euo pipefail
VENV=$1 MODELS=$2 EXAMPLES=${3:-200}
cd "$(dirname "$0")/.."
swift build -c release --product glossa-server >/dev/null
PORT=8097
WORK=$(mktemp -d)
.build/release/glossa-server --models "$MODELS" --port $PORT > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 1; done
curl -sf "http://127.0.0.1:$PORT/v1/models" > "$WORK/models.json"
"$VENV/bin/python" - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
document = json.load(open("Sources/GlossaServer/Public/openapi.json"))
served = json.load(open(f"{work}/models.json"))["models"]
for path, operations in document["paths"].items():
    names = [m["name"] for m in served if path in m["endpoints"]]
    for operation in operations.values():
        body = operation.get("requestBody", {}).get("content", {})
        if "application/json" in body and names:
            body["application/json"]["schema"]["properties"]["model"] = {"type": "string", "enum": names}
        if "audio/wav" in body:
            body["application/octet-stream"] = body.pop("audio/wav")
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "model" and names:
                parameter["schema"] = {"type": "string", "enum": names}
json.dump(document, open(f"{work}/openapi.json", "w"))
PY
status=0
"$VENV/bin/schemathesis" run "$WORK/openapi.json" --url "http://127.0.0.1:$PORT" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --workers 2 || status=$?
if ! kill -0 $SERVER 2>/dev/null || ! curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; then
  echo "fuzz-server: the server is down after the run" >&2
  exit 1
fi
echo "fuzz-server: the server is still up" >&2
exit $status
