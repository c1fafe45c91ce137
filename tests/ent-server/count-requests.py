#!/usr/bin/env python3
# How many requests the test ENT at URL received on PATH (its remote
# control, GET /__test/requests), trusting only the CA in CA-FILE.
# For the shell checks that drive a real carnet (tests/guard/display-loss.sh,
# build-aux/flatpak-test-session.sh).
#   count-requests.py URL PATH CA-FILE
import json
import ssl
import sys
import urllib.parse
import urllib.request

url, path, ca = sys.argv[1:4]
context = ssl.create_default_context(cafile=ca)
with urllib.request.urlopen(url + "/__test/requests?path=" + urllib.parse.quote(path, safe=""),
                            context=context, timeout=30) as answer:
    print(json.load(answer).get("count", 0))
