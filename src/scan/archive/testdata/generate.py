"""Archives whose member names or types an extractor must not trust. Run: /usr/bin/python3 generate.py"""
import io
import tarfile
import zipfile

PAYLOAD = b"weights"


def tar(path, members):
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)


def member(name, data=PAYLOAD, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if data is not None and kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


tar("climbing.tar", [member("model/weights.bin"), member("../../etc/cron.d/evil")])
tar("absolute.tar", [member("/etc/passwd")])
tar("special.tar", [
    member("model/weights.bin"),
    member("model/link", kind=tarfile.SYMTYPE, link="/etc/shadow"),
    member("model/hard", kind=tarfile.LNKTYPE, link="model/weights.bin"),
    member("model/fifo", kind=tarfile.FIFOTYPE),
    member("model/null", kind=tarfile.CHRTYPE),
])
tar("clean.tar", [member("model/weights.bin"), member("model/config.json", b"{}")])

with zipfile.ZipFile("slip.zip", "w") as archive:
    archive.writestr("model/weights.bin", PAYLOAD)
    archive.writestr("..\\..\\windows\\evil.dll", PAYLOAD)
with zipfile.ZipFile("control-chars.zip", "w") as archive:
    archive.writestr("model/we\x01ights.bin", PAYLOAD)
    archive.writestr("a" * 2000 + ".bin", PAYLOAD)
