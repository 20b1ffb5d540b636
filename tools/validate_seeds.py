#!/usr/bin/env python3
"""The paper's regional patterns across replicate seeds (docs/validation.md s.5).

usage: /usr/bin/python3 tools/validate_seeds.py NQPSIM DIR [N] [--set KEY=VALUE ...]

Runs the default Anhui baseline with seeds 1..N (default 8) into DIR/sS.h5
(the --set options apply to every run: a sensitivity of an assumption),
measures each with tools/validate_baseline.py and prints, per seed, the
ranks that docs/validation.md s.5 tabulates, then how many seeds show each
pattern. About 3 s a seed on the 2-core development machine.
"""
import json
import os
import subprocess
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_baseline as vb  # noqa: E402


def rank(pairs, city, lowest=False):
    """1-based rank of CITY in PAIRS (sorted highest first), or from the
    bottom when LOWEST."""
    names = [c for c, _ in pairs]
    return len(names) - names.index(city) if lowest else names.index(city) + 1


def measure(path):
    with h5py.File(path, "r") as f:
        reg = vb.labels(f["series/region/region"])
        r = vb.region_facts(f)
        c = vb.channel_facts(f)
    inv = r["inventions"]["hefei"]
    return {
        "tech_first": r["index_tech"][0][0],
        "org_first": r["index_org"][0][0],
        "org_second": r["index_org"][1][0],
        "hefei_sold": inv["sold_out"] / (inv["sold_out"] + inv["local"]),
        "bengbu_automation_from_bottom": rank(r["automation"], "bengbu", lowest=True),
        "bengbu_digital_k_from_bottom": rank(r["digital_capital_weighted"], "bengbu", lowest=True),
        "bengbu_digital_from_bottom": rank(r["digital"], "bengbu", lowest=True),
        "bengbu_lowest_digital_industries": dict(r["digital_lowest_in_industries"]).get("bengbu", 0),
        "bengbu_lowest_automation_industries":
            dict(r["automation_lowest_in_industries"]).get("bengbu", 0),
        "cities": len(reg) - 1,
        "tfp_tech_minus_labour": c["technology"]["dlog_tfp"] - c["labour"]["dlog_tfp"],
    }


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    nqpsim, out = args[0], args[1]
    n = int(args[2]) if len(args) > 2 and not args[2].startswith("--") else 8
    extra = args[3:] if len(args) > 2 and not args[2].startswith("--") else args[2:]
    os.makedirs(out, exist_ok=True)
    rows = []
    for s in range(1, n + 1):
        path = os.path.join(out, "s%d.h5" % s)
        subprocess.run([nqpsim, "run", "-q", "--seed", str(s), *extra, "-o", path, "--force"],
                       check=True)
        m = measure(path)
        rows.append(m)
        print("seed %d: %s" % (s, json.dumps(m)), flush=True)
    k = len(rows)
    last = lambda key: sum(r[key] == 1 for r in rows)  # noqa: E731
    print()
    print("Hefei first in technology penetration: %d of %d" % (
        sum(r["tech_first"] == "hefei" for r in rows), k))
    print("Hefei first in organisational restructuring: %d of %d (first otherwise: %s; "
          "second when Hefei is first: %s)" % (
              sum(r["org_first"] == "hefei" for r in rows), k,
              sorted({r["org_first"] for r in rows if r["org_first"] != "hefei"}),
              sorted({r["org_second"] for r in rows if r["org_first"] == "hefei"})))
    print("Hefei inventions sold out of province: %.0f%% to %.0f%%" % (
        100 * min(r["hefei_sold"] for r in rows), 100 * max(r["hefei_sold"] for r in rows)))
    for key, what in [("bengbu_automation_from_bottom", "automation"),
                      ("bengbu_digital_k_from_bottom", "capital-weighted D"),
                      ("bengbu_digital_from_bottom", "D, mean over firms")]:
        others = sorted({rows[0]["cities"] + 1 - r[key] for r in rows if r[key] != 1})
        print("Bengbu last in %s: %d of %d (ranks otherwise: %s)" % (what, last(key), k, others))
    print("Bengbu the least digital city in %d to %d industries, least automated in %d to %d" % (
        min(r["bengbu_lowest_digital_industries"] for r in rows),
        max(r["bengbu_lowest_digital_industries"] for r in rows),
        min(r["bengbu_lowest_automation_industries"] for r in rows),
        max(r["bengbu_lowest_automation_industries"] for r in rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
