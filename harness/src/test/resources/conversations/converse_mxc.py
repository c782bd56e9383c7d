#!/usr/bin/env python3
"""converse.py (shared/reference/golden) with the one capture the Java runner (Conversation.java) adds for media:
a captured value that is an mxc URI, mxc://SERVER/ID, also sets ${VAR_server} and ${VAR_id}, so a step can
download what an earlier step uploaded. Same arguments as converse.py, after its path:

  converse_mxc.py .../golden/converse.py HS_URL steps.json --out synapse-1.94.jsonl
"""
import sys

golden = sys.argv.pop(1)
source = open(golden).read()
body, _, _ = source.rpartition("main()")  # converse.py runs main() on import; take everything before that call
ns = {"__name__": "converse"}
exec(compile(body, golden, "exec"), ns)
plain_call = ns["call"]

def call(hs, step, env):
    out = plain_call(hs, step, env)
    for var in step.get("capture", {}):
        value = env.get(var, "")
        if value.startswith("mxc://") and "/" in value[6:]:
            env[var + "_server"], env[var + "_id"] = value[6:].split("/", 1)
    return out

ns["call"] = call
ns["main"]()
