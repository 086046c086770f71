"""Benchmark inputs on real gene models: N variants placed as sequencing finds them, not on a grid
(half in or within 100 bp of exons, a third in introns, the rest anywhere on the chromosome,
sorted), and the genes as a BED for bcftools (one line per transcript, named by gene).

    python realistic.py REFGENE N OUT_DIR [--exome]    (--exome: all in or next to coding exons)
"""
import bisect
import random
import sys


def main(table, count, out, exome):
    rng = random.Random(5)
    transcripts, chrom_end = [], {}
    for line in open(table):
        f = line.rstrip("\n").split("\t")[1:]
        chrom, s, e, cs, ce = f[1], int(f[3]), int(f[4]), int(f[5]), int(f[6])
        exons = list(zip([int(x) for x in f[8].split(",") if x], [int(x) for x in f[9].split(",") if x]))
        if chrom.count("_") or chrom == "chrM":
            continue
        transcripts.append((chrom, s, e, cs, ce, exons, f[11]))
        chrom_end[chrom] = max(chrom_end.get(chrom, 0), e + 10_000)
    with open(f"{out}/genes.bed", "w") as bed:
        for chrom, s, e, _, _, _, gene in sorted(transcripts, key=lambda t: (t[0], t[1])):
            bed.write(f"{chrom}\t{s}\t{e}\t{gene}\n")
    coding = [t for t in transcripts if t[3] < t[4]]
    positions = set()
    while len(positions) < count:
        roll = rng.random()
        chrom, s, e, cs, ce, exons, _ = rng.choice(coding if exome else transcripts)
        if exome or roll < 0.5:
            a, b = rng.choice(exons)
            if exome:
                a, b = max(a, cs), min(b, ce)
                if a >= b:
                    continue
            position = rng.randrange(max(1, a - 100), b + 100) + 1
        elif roll < 0.83:
            position = rng.randrange(s, e) + 1
        else:
            position = rng.randrange(1, chrom_end[chrom])
        positions.add((chrom, position))
    key = {f"chr{i}": i for i in range(1, 23)} | {"chrX": 23, "chrY": 24}
    bases = "ACGT"
    with open(f"{out}/input.vcf", "w") as vcf:
        vcf.write("##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n")
        for chrom in sorted(chrom_end, key=lambda c: key.get(c, 99)):
            vcf.write(f"##contig=<ID={chrom},length={chrom_end[chrom]}>\n")
        vcf.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for chrom, position in sorted(positions, key=lambda p: (key.get(p[0], 99), p[1])):
            ref = bases[position % 4]
            kind = rng.random()
            alt = bases[(position + 1) % 4] if kind < 0.85 else (ref + "T" if kind < 0.93 else None)
            if alt is None:
                ref, alt = ref + "C", ref
            vcf.write(f"{chrom}\t{position}\t.\t{ref}\t{alt}\t50\tPASS\tDP=10\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], "--exome" in sys.argv[4:])
