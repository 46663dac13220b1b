"""Benchmark: WARC discovery (scan + page dates) and record read-back, on demo pages."""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Run as a file: tests/ on the import path, for the tests' `support` package (the WARC writer).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from newswire.demo import site as demosite
from newswire.discover import DiscoverContext, warc
from newswire.fetch.http import FetchSettings
from newswire.models import SourceConfig, Window
from support.warcdata import Capture, write_warc


def main() -> None:
    """Write a WARC of N records, scan it for a day's window, read every record back."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    args = parser.parse_args()
    site = demosite.build_site()
    pages = [site.render(s.wire_path, "https://wire.example")[2] for s in site.stories]
    start = datetime(2026, 1, 15, tzinfo=UTC)
    step = timedelta(days=1) / args.records
    captures = [
        Capture(f"https://wire.example/a/{i}", start + step * i, pages[i % len(pages)])
        for i in range(args.records)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = write_warc(Path(tmp) / "bench.warc.gz", captures)
        size = path.stat().st_size
        source = SourceConfig(name="bench", kind="warc", urls=(), paths=(str(path),))
        window = Window(start, start + timedelta(days=1))
        ctx = DiscoverContext(strict=True)
        began = time.perf_counter()
        items = list(warc.discover(source, window, None, ctx))  # type: ignore[arg-type]
        scan_s = time.perf_counter() - began
        began = time.perf_counter()
        settings = FetchSettings()
        for item in items:
            assert item.record is not None
            warc.read_record(item.record, source, settings)
        read_s = time.perf_counter() - began
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records={args.records} warc_bytes={size} items_in_window={len(items)}")
    rate = args.records / scan_s
    print(f"discover: {scan_s:.2f} s, {rate:.0f} records/s, {size / scan_s / 1e6:.1f} MB/s")
    print(f"read back: {read_s:.2f} s, {len(items) / read_s:.0f} records/s")
    print(f"peak RSS: {rss_mb:.0f} MiB")


if __name__ == "__main__":
    main()
