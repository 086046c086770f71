#!/usr/bin/env bash
# Annotation throughput on a generated 1-million-variant VCF: gas-annotate (class, genes and
# region per variant) against `bcftools annotate` adding the overlapping gene from a BED, the
# reference named in issue 4, in the same run. Installs bcftools and tabix if missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
missing=()
for p in bcftools tabix; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; fi
swift build -c release --product gas-annotate
annotate=$(swift build -c release --show-bin-path)/gas-annotate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/annotation/generate.py "$work" "${VARIANTS:-1000000}"
bgzip -c "$work/genes.bed" > "$work/genes.bed.gz" && tabix -p bed "$work/genes.bed.gz"
echo '##INFO=<ID=GENE,Number=1,Type=String,Description="Overlapping gene">' > "$work/header.txt"
for round in 1 2 3; do
  /usr/bin/time -f "gas-annotate round $round: %e s, %M KiB peak RSS" "$annotate" --refgene "$work/refGene.txt" "$work/input.vcf" "$work/out.vcf" | grep -E '^(variants|seconds)'
  /usr/bin/time -f "bcftools annotate round $round: %e s, %M KiB peak RSS" bcftools annotate -a "$work/genes.bed.gz" -c CHROM,FROM,TO,GENE -h "$work/header.txt" -o "$work/bcf.vcf" "$work/input.vcf"
done
grep -c -v '^#' "$work/bcf.vcf" | sed 's/^/bcftools records: /'
