"""Generates the annotation benchmark input: a refGene table of synthetic transcripts, the same
genes as a BED for bcftools, and a VCF of N variants spread over them (sorted, as bcftools needs)."""
import random
import sys

out, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
chroms = [f"chr{i}" for i in range(1, 23)]
length = 50_000_000
with open(f"{out}/refGene.txt", "w") as ref, open(f"{out}/genes.bed", "w") as bed:
    for c in chroms:
        spans = []
        for g in range(900):
            start = rng.randrange(0, length - 100_000)
            exons = rng.randrange(2, 12)
            size = rng.randrange(5_000, 80_000)
            cuts = sorted(rng.sample(range(start + 1, start + size - 1), exons * 2 - 2))
            starts = [start] + cuts[1::2]
            ends = cuts[0::2] + [start + size]
            strand = rng.choice("+-")
            cds_start, cds_end = starts[0] + 50, ends[-1] - 50
            name = f"G{c[3:]}_{g}"
            ref.write(f"0\tNM_{c}_{g}\t{c}\t{strand}\t{start}\t{start + size}\t{cds_start}\t{cds_end}\t{exons}\t"
                      + ",".join(map(str, starts)) + ",\t" + ",".join(map(str, ends)) + f",\t0\t{name}\tcmpl\tcmpl\t" + "0," * exons + "\n")
            spans.append((start, start + size, name))
        for s, e, n in sorted(spans):
            bed.write(f"{c}\t{s}\t{e}\t{n}\n")
with open(f"{out}/input.vcf", "w") as vcf:
    vcf.write("##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n")
    for c in chroms:
        vcf.write(f"##contig=<ID={c},length={length}>\n")
    vcf.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    per = count // len(chroms)
    for c in chroms:
        for pos in sorted(rng.sample(range(1, length), per)):
            alt = rng.choice(["G", "T", "GA", "C"])
            vcf.write(f"{c}\t{pos}\t.\tA\t{alt}\t50\tPASS\tDP=10\n")
