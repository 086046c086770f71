"""Variants placed where gene models have edges, and what bedtools should find under them.

From a refGene table, writes N variants (sorted VCF, ID = vN) at transcript, exon and CDS starts
and ends and at the 500 bp promoter edges, one base either side: SNVs, MNVs, deletions and
insertions. Also writes the bases each variant changes as BED (an insertion: its two flanking
bases; a deletion: the deleted bases, not the anchor) and each transcript with its promoter as
BED named by gene, for `bedtools intersect`.

    python boundaries.py REFGENE N OUT_DIR
"""
import random
import sys


def main(table, count, out):
    rng = random.Random(12)
    transcripts = []
    for line in open(table):
        f = line.rstrip("\n").split("\t")
        if f[0].isdigit() and len(f) >= 16:
            f = f[1:]
        chrom, strand, tx_start, tx_end, cds_start, cds_end = f[1], f[2], int(f[3]), int(f[4]), int(f[5]), int(f[6])
        starts = [int(x) for x in f[8].split(",") if x]
        ends = [int(x) for x in f[9].split(",") if x]
        transcripts.append((chrom, strand, tx_start, tx_end, cds_start, cds_end, starts, ends, f[11]))
    with open(f"{out}/genes.bed", "w") as bed:
        for chrom, strand, s, e, _, _, _, _, gene in transcripts:
            low, high = (max(0, s - 500), e) if strand == "+" else (s, e + 500)
            bed.write(f"{chrom}\t{low}\t{high}\t{gene}\n")
    variants = set()
    while len(variants) < count:
        chrom, strand, s, e, cs, ce, starts, ends, _ = rng.choice(transcripts)
        # 0-based edges: the first base of a feature and the base after its last.
        edges = [s, e, cs, ce, s - 500, e + 500] + starts + ends
        position = rng.choice(edges) + rng.choice([-1, 0, 1]) + 1  # 1-based
        if position < 3:
            continue
        variants.add((chrom, position, rng.choice(["snv", "mnv", "del", "ins"]), rng.randrange(1, 6)))
    order = {f"chr{i}": i for i in range(1, 23)}
    order.update({"chrX": 23, "chrY": 24, "chrM": 25})
    rows = sorted(variants, key=lambda v: (order.get(v[0], 99), v[0], v[1]))
    with open(f"{out}/boundaries.vcf", "w") as vcf, open(f"{out}/spans.bed", "w") as spans:
        vcf.write("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for number, (chrom, position, kind, length) in enumerate(rows):
            name = f"v{number}"
            if kind == "snv":
                ref, alt, low, high = "A", "G", position - 1, position
            elif kind == "mnv":
                ref, alt, low, high = "AC", "GT", position - 1, position + 1
            elif kind == "del":
                ref, alt, low, high = "A" + "C" * length, "A", position, position + length
            else:
                ref, alt, low, high = "A", "A" + "T" * length, position - 1, position + 1
            vcf.write(f"{chrom}\t{position}\t{name}\t{ref}\t{alt}\t.\t.\t.\n")
            spans.write(f"{chrom}\t{low}\t{high}\t{name}\n")
    print(f"boundaries: {len(rows)} variants over {len(transcripts)} transcripts", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
