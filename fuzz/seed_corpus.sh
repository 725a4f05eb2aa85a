#!/usr/bin/env bash
# Seeds fuzz/corpus/parse with the golden snippets (valid and invalid) and, unless
# SEED_STDLIB=0, the smaller (<16 KiB) .py files of CPython's stdlib.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=fuzz/corpus/parse
mkdir -p "$dest"
for f in crates/parser/tests/snippets/valid/*.py crates/parser/tests/snippets/invalid/*.py; do
    kind=$(basename "$(dirname "$f")")
    cp "$f" "$dest/${kind}_$(basename "$f")"
done
if [ "${SEED_STDLIB:-1}" != 0 ]; then
    lib=$(python3 -c "import sysconfig; print(sysconfig.get_path('stdlib'))")
    find "$lib" -name site-packages -prune -o -name '*.py' -size -16k -print |
        while read -r f; do cp "$f" "$dest/stdlib_$(echo "${f#"$lib"/}" | tr / _)"; done
fi
echo "$(ls "$dest" | wc -l) files in $dest"
