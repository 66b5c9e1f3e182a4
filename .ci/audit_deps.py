"""Run pip-audit on the installed environment; fail on any known vulnerability, never on silence.

pip-audit prints "No known vulnerabilities found" and exits 0 even when it could check nothing
(every package "not found", or the service unreachable). This wrapper counts what was really
audited: a vulnerability fails the run; packages that could not be checked are listed loudly and
fail the run only when LOOM_REQUIRE_AUDIT=1 (CI without network access cannot audit at all).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess  # pip-audit with a fixed argument list  # nosec B404
import sys
import tempfile
from pathlib import Path
from typing import Any

SERVICES = ("pypi", "osv")  # pip-audit's default first, then the OSV database
WHOLE_RUN_SECONDS = 300
#: where each service answers; probed first so that a machine without network fails in a moment
HOSTS = {"pypi": "pypi.org", "osv": "api.osv.dev"}
PROBE_SECONDS = 5.0
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


def unreachable(service: str) -> str | None:
    """Return why ``service`` cannot be reached from here, or None if it may be."""
    if any(os.environ.get(name) for name in PROXY_VARIABLES):
        return None  # only the proxy knows: let pip-audit try through it
    host = HOSTS[service]
    try:
        found = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot resolve {host}: {exc}"
    family, kind, proto, _name, address = found[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(PROBE_SECONDS)
            sock.connect(address)
    except OSError as exc:
        return f"cannot connect to {host}:443 within {PROBE_SECONDS:.0f} s: {exc}"
    return None


def audit(service: str) -> dict[str, Any] | str:
    """Return pip-audit's JSON report for ``service``, or why there is none."""
    reason = unreachable(service)
    if reason is not None:
        return reason
    binary = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        argv = [str(binary), "--skip-editable", "--progress-spinner=off", "--timeout=15"]
        argv += ["--vulnerability-service", service, "--format=json", f"--output={report}"]
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv  # nosec B603
                argv, capture_output=True, text=True, timeout=WHOLE_RUN_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            return f"no answer within {WHOLE_RUN_SECONDS} s"
        if not report.is_file():
            lines = (done.stderr or done.stdout).strip().splitlines()
            return lines[-1] if lines else f"pip-audit exited {done.returncode}"
        result: dict[str, Any] = json.loads(report.read_text())
        return result


def main() -> int:
    """Audit with the first service that answers; return the exit status."""
    required = os.environ.get("LOOM_REQUIRE_AUDIT") == "1"
    for service in SERVICES:
        result = audit(service)
        if isinstance(result, str):
            print(f"pip-audit ({service}): service unusable: {result}")
            continue
        deps = result.get("dependencies", [])
        skipped = [d for d in deps if "skip_reason" in d]
        checked = [d for d in deps if "skip_reason" not in d]
        if not checked:
            print(f"pip-audit ({service}): none of {len(deps)} packages could be checked")
            continue
        vulnerable = [d for d in checked if d.get("vulns")]
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
        for dep in skipped:
            print(f"not audited: {dep['name']}: {dep['skip_reason']}")
        print(
            f"pip-audit ({service}): {len(checked)} packages checked, {len(vulnerable)} "
            f"vulnerable, {len(skipped)} not audited"
        )
        return 1 if vulnerable or (skipped and required) else 0
    print("DEPENDENCIES NOT AUDITED: no vulnerability service could be used from here")
    return 1 if required else 0


if __name__ == "__main__":
    sys.exit(main())
