#!/bin/sh
# Record the re-check of 2026-12-04 on every entry: state `checked`, the date, what the
# text was checked against, and the hash of the text as checked.
#
# Run it only for a check that actually took place, and only on the files it covered.
# On 2026-12-04 the content was re-checked against the fact sheet's "Corrections of
# 2026-12-04" (the truth pass). After a later honest re-check, run it again with that
# check's date and basis (and only on the files re-checked); `python build.py check`
# lists the entries whose text changed since their check (`review-stale`).
set -e
cd "$(dirname "$0")/.."
DATE="${1:-2026-12-04}"
EN="${2:-the corrections of 4 December 2026 to the site's fact sheet}"
ES="${3:-las correcciones del 4 de diciembre de 2026 a la ficha de datos del sitio}"
PYTHONPATH=src python -m somos_site.review --date "$DATE" --against "$EN" $(ls content/*/*.md | grep -v '\.es\.md$')
PYTHONPATH=src python -m somos_site.review --date "$DATE" --against "$ES" content/*/*.es.md
