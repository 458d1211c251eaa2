"""Repackage Debian-installed pure-Python distributions as wheels.

No Python package index is reachable from these machines, but Debian's
mirror is. The benchmark's Python projects install real libraries with
`pip install --no-index --find-links /wheels`, so we build that wheelhouse
from the copies Debian installed into the base image's rootfs: the same
code, repackaged. Stands in for a company's PyPI mirror.

usage: python3 pack-wheels.py <dist-packages dir> <out dir> <dist name>...
"""
import base64
import hashlib
import os
import sys
import zipfile
from importlib import metadata


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def top_level_paths(dist, site: str, name: str) -> list[str]:
    text = dist.read_text("top_level.txt")
    names = text.split() if text else [name.lower().replace("-", "_")]
    paths = []
    for top in names:
        if os.path.isdir(os.path.join(site, top)):
            paths.append(top)
        elif os.path.isfile(os.path.join(site, top + ".py")):
            paths.append(top + ".py")
    if not paths:
        raise SystemExit(f"no files found for {name} (tops: {names})")
    return paths


def pack(site: str, out: str, name: str) -> str:
    dist = next(
        (d for d in metadata.distributions(path=[site]) if d.metadata["Name"].lower() == name.lower()),
        None,
    )
    if dist is None:
        raise SystemExit(f"{name} is not installed in {site}")
    real_name = dist.metadata["Name"]
    version = dist.version
    norm = real_name.replace("-", "_")
    info = f"{norm}-{version}.dist-info"
    wheel_path = os.path.join(out, f"{norm}-{version}-py3-none-any.whl")
    records = []
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as whl:
        def add(arcname: str, data: bytes) -> None:
            info_entry = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info_entry.external_attr = 0o644 << 16
            info_entry.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(info_entry, data)
            records.append(f"{arcname},{record_hash(data)},{len(data)}")

        for top in top_level_paths(dist, site, real_name):
            full = os.path.join(site, top)
            files = [full] if os.path.isfile(full) else [
                os.path.join(d, f) for d, _, fs in sorted(os.walk(full)) for f in sorted(fs)
            ]
            for f in files:
                if "__pycache__" in f.split(os.sep):
                    continue
                # Debian links some bundled assets (werkzeug's jquery.js) to other
                # packages' files; those are not in the extracted tree.
                if not os.path.exists(f):
                    print(f"skipped dangling link {os.path.relpath(f, site)}", file=sys.stderr)
                    continue
                with open(f, "rb") as fh:
                    add(os.path.relpath(f, site), fh.read())
        add(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {real_name}\nVersion: {version}\n".encode())
        add(f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: cachelens-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        records.append(f"{info}/RECORD,,")
        whl.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return wheel_path


def main() -> None:
    site, out, *names = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    for name in names:
        print(os.path.basename(pack(site, out, name)))


if __name__ == "__main__":
    main()
