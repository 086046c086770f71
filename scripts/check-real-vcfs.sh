#!/usr/bin/env bash
# Real VCFs from Debian's bioinformatics packages (the test data of python3-cyvcf2 and
# python3-pybedtools: VCF 4.1-4.3, gzip and bgzip, multi-allelic, MNPs, symbolic alleles, gVCF-ish
# and malformed files) through gas-annotate on the GENCODE table: each valid file is annotated
# with every record kept; the malformed ones are refused with the reason named below; none crashes.
#   scripts/check-real-vcfs.sh [BIN_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-$(swift build --show-bin-path)}
table=.build/data/gencode.refGene.txt
[ -f "$table" ] || scripts/check-gene-overlap.sh "$bin" > /dev/null
# The files that are not valid VCF for this table, and the error each must get.
declare -A refused=(
  [empty.vcf]="empty file"
  [v.vcf]="the header must name CHROM POS ID REF ALT QUAL FILTER INFO, tab-separated"
  [test.mnp.vcf]="none of the VCF's chromosomes"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
annotated=0 failures=0
for file in $(dpkg -L python3-cyvcf2 python3-pybedtools | grep -E '\.vcf(\.gz)?$' | sort); do
  name=$(basename "$file")
  if output=$("$bin/gas-annotate" --refgene "$table" "$file" "$work/out.vcf" 2>&1); then
    records=$( (gzip -cdf "$file" || true) | grep -cv '^#' || true)
    kept=$(grep -cv '^#' "$work/out.vcf" || true)
    if [ -n "${refused[$name]:-}" ] || [ "$records" != "$kept" ]; then
      echo "check-real-vcfs: $name: annotated ($kept of $records records), expected ${refused[$name]:-every record}" >&2
      failures=$((failures + 1))
    fi
    annotated=$((annotated + 1))
  elif [ -z "${refused[$name]:-}" ] || ! grep -qF "${refused[$name]}" <<< "$output"; then
    echo "check-real-vcfs: $name: $output" >&2
    failures=$((failures + 1))
  fi
done
echo "check-real-vcfs: $annotated real VCFs annotated with every record kept, ${#refused[@]} malformed ones refused with their reason, $failures failures"
[ "$failures" -eq 0 ] && [ "$annotated" -ge 20 ]
