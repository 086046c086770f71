"""A dbSNP-shaped known-variants VCF of N records on chr1-chr22 (sorted; SNVs with some padded
indels; spread over each chromosome's genes, about 60 bp apart at 50 million records, as dense as
dbSNP), written to standard output for bgzip, and an
exome-like input of M variants: in coding exons of REFGENE, 60 % of them alleles of the known file.

    python known.py N M REFGENE INPUT_VCF | bgzip -@2 > known.vcf.gz
"""
import random
import sys


def main(count, inputs, table, input_path):
    rng = random.Random(3)
    exons = {}
    for line in open(table):
        f = line.rstrip("\n").split("\t")[1:]
        chrom, cs, ce = f[1], int(f[5]), int(f[6])
        if cs >= ce or "_" in chrom or chrom in ("chrX", "chrY", "chrM"):
            continue
        for s, e in zip(f[8].split(",")[:-1], f[9].split(",")[:-1]):
            s, e = max(int(s), cs), min(int(e), ce)
            if s < e:
                exons.setdefault(chrom, []).append((s, e))
    chroms = [f"chr{i}" for i in range(1, 23)]
    per = count // len(chroms)
    wanted = {c: set() for c in chroms}
    for _ in range(inputs):
        c = rng.choice(chroms)
        s, e = rng.choice(exons[c])
        wanted[c].add(rng.randrange(s, e) + 1)
    bases = "ACGT"
    out = sys.stdout
    out.write("##fileformat=VCFv4.2\n" + "".join(f"##contig=<ID={c}>\n" for c in chroms) + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    rs = 0
    picked = []
    for c in chroms:
        targets = sorted(wanted[c])
        t = 0
        position = 10_000
        span = max(e for _, e in exons[c]) + 10_000
        step = max(2, 2 * span // per)
        for _ in range(per):
            position += rng.randrange(1, step)
            # The input's positions that this step passed are known variants 60 % of the time.
            while t < len(targets) and targets[t] <= position:
                p = targets[t]
                t += 1
                ref, alt = bases[p % 4], bases[(p + 2) % 4]
                rs += 1
                if rng.random() < 0.6:
                    out.write(f"{c}\t{p}\trs{rs}\t{ref}\t{alt}\t.\t.\t.\n")
                picked.append((c, p, ref, alt))
            if t > 0 and position == targets[t - 1]:
                continue
            rs += 1
            ref = bases[position % 4]
            kind = rng.random()
            alt = bases[(position + 1) % 4] if kind < 0.9 else ref + "A"
            out.write(f"{c}\t{position}\trs{rs}\t{ref}\t{alt}\t.\t.\t.\n")
    with open(input_path, "w") as vcf:
        vcf.write("##fileformat=VCFv4.2\n" + "".join(f"##contig=<ID={c}>\n" for c in chroms) + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for c, p, ref, alt in picked:
            vcf.write(f"{c}\t{p}\t.\t{ref}\t{alt}\t50\tPASS\t.\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
