#!/usr/bin/env bash
# Issue 12's benchmarks, one run, release builds, /usr/bin/time for whole processes and peak RSS:
#  1. gene annotation on real gene models: the GENCODE-sized table (scripts/check-gene-overlap.sh
#     builds it: 252,913 hg38 transcripts) and 1,000,000 variants placed as sequencing finds them
#     (realistic.py): gas-annotate against `bcftools annotate` adding the overlapping genes from the
#     same transcripts as a tabix-indexed BED; gas-annotate's reference load alone (a 1-record input);
#  2. known variants: a bgzipped, tabix-indexed dbSNP-shaped VCF of KNOWN records (default 50 million,
#     known.py) and a 100,000-variant exome-like input: gas-annotate --known against
#     `bcftools annotate -a known.vcf.gz -c ID`, and the IDs compared.
# Three alternating rounds each. Needs bgzip, tabix, bcftools (scripts/setup.sh installs them).
#   bench/annotation/real-scale.sh [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=${1:-$(mktemp -d)}
mkdir -p "$work"
table=.build/data/gencode.refGene.txt
[ -f "$table" ] || scripts/check-gene-overlap.sh > /dev/null
swift build -c release --product gas-annotate 2>&1 | grep -E 'error' || true
annotate=$(swift build -c release --show-bin-path)/gas-annotate
timed() { /usr/bin/time -f "$1: %e s, peak RSS %M KiB" "${@:2}"; }

python3 bench/annotation/realistic.py "$table" 1000000 "$work"
sort -k1,1 -k2,2n "$work/genes.bed" | bgzip -c > "$work/genes.bed.gz" && tabix -f -p bed "$work/genes.bed.gz"
echo '##INFO=<ID=GENE,Number=.,Type=String,Description="Overlapping gene">' > "$work/gene-header.txt"
awk '/^#/ {print; next} {print; exit}' "$work/input.vcf" > "$work/one.vcf"
for round in 1 2 3; do
  timed "reference load, gas-annotate, round $round" "$annotate" --refgene "$table" "$work/one.vcf" "$work/one.out" > /dev/null
  timed "genes, gas-annotate, round $round" "$annotate" --refgene "$table" "$work/input.vcf" "$work/gas.vcf" | grep -E '^seconds' | sed 's/^/  annotating /'
  timed "genes, bcftools annotate, round $round" bcftools annotate -a "$work/genes.bed.gz" -c CHROM,FROM,TO,GENE -h "$work/gene-header.txt" -o "$work/bcftools.vcf" "$work/input.vcf"
done

known=${KNOWN:-50000000}
if [ ! -f "$work/known.vcf.gz.tbi" ]; then
  python3 bench/annotation/known.py "$known" 100000 "$table" "$work/exome.vcf" | bgzip -@2 > "$work/known.vcf.gz"
  tabix -f -p vcf "$work/known.vcf.gz"
  bgzip -f -k "$work/exome.vcf" && tabix -f -p vcf "$work/exome.vcf.gz"
fi
echo "known variants: $(stat -c %s "$work/known.vcf.gz") bytes bgzipped, index $(stat -c %s "$work/known.vcf.gz.tbi") bytes; input $(grep -vc '^#' "$work/exome.vcf") variants"
for round in 1 2 3; do
  timed "known IDs, gas-annotate, round $round" "$annotate" --refgene "$table" --known "$work/known.vcf.gz" "$work/exome.vcf.gz" "$work/gas-ids.vcf" | grep -E '^(seconds|known_bytes_read)' | sed 's/^/  /'
  timed "known IDs, bcftools annotate, round $round" bcftools annotate -a "$work/known.vcf.gz" -c ID -o "$work/bcftools-ids.vcf" "$work/exome.vcf.gz"
done
if cmp -s <(grep -v '^#' "$work/gas-ids.vcf" | cut -f3) <(grep -v '^#' "$work/bcftools-ids.vcf" | cut -f3); then
  echo "known IDs: identical to bcftools ($(grep -v '^#' "$work/gas-ids.vcf" | cut -f3 | grep -c '^rs') rsIDs filled)"
else
  echo "known IDs: DIFFER from bcftools" >&2
  exit 1
fi

# 3. The same known variants from S3 (moto, on loopback) through ranged GETs: bytes and GETs fetched.
swift build -c release --product aws-bench 2>&1 | grep -E 'error' || true
.venv/bin/python scripts/moto_server.py --parent-pid $$ > "$work/moto" 2>/dev/null &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q listening "$work/moto" 2>/dev/null && break; sleep 0.1; done
AWS_ENDPOINT_URL=$(sed -n 's/^moto listening on //p' "$work/moto") AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
  "$(swift build -c release --show-bin-path)/aws-bench" known "$table" "$work/known.vcf.gz" "$work/exome.vcf.gz"
