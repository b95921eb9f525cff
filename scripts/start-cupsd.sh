#!/usr/bin/env bash
# Start cupsd (if not running) and make sure a cups-pdf queue named PDF exists and accepts jobs.
# Used by `make test` / `make bench`; safe to run repeatedly.
set -euo pipefail
if ! command -v cupsd >/dev/null; then
  echo "cupsd is not installed (apt-get install cups cups-bsd printer-driver-cups-pdf)" >&2
  exit 1
fi
if ! lpstat -r >/dev/null 2>&1 || lpstat -r 2>&1 | grep -q "not running"; then
  mkdir -p /run/cups
  cupsd
  for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
fi
ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
model=lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
if ! lpstat -p PDF >/dev/null 2>&1; then
  if [ -f "$ppd" ]; then lpadmin -p PDF -v cups-pdf:/ -P "$ppd" -E; else lpadmin -p PDF -v cups-pdf:/ -m "$model" -E; fi
fi
# Ghostscript (the default pdftops renderer) keeps the glyphs but drops the text
# mapping, so Chinese could not be read back from the printed PDF; pdftocairo keeps it.
lpadmin -p PDF -o pdftops-renderer-default=pdftocairo
cupsenable PDF
cupsaccept PDF
lpstat -r
lpstat -p PDF
