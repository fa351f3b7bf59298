#!/usr/bin/env bash
# Regenerates the poster PDF corpus in src/test/resources/posters/corpus/ with real tools.
#
# CI does not run this: the committed PDFs and expected.csv are what the tests use. Run it by
# hand when adding a case, then update expected.csv and commit both.
#
# Debian packages it needs (Debian 12):
#   apt-get install -y --no-install-recommends ghostscript qpdf imagemagick poppler-utils \
#     python3 texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures
# (ghostscript: ps2pdf; qpdf: rotation, encryption, checks; imagemagick: raster PDF and the
# renamed PNG; poppler-utils: pdfinfo for the summary; texlive: a0poster and tikzposter;
# python3: the hand-written structure cases and the decompression bombs.)
#
# Debian's ImageMagick policy forbids the "PDF" coder; its "PDFA" coder (PDF/A output) is not
# listed, so the raster poster is written through it instead of editing /etc.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../src/test/resources/posters/corpus"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

# One page of the given size in points, drawn by a PostScript program and turned into PDF by
# Ghostscript's ps2pdf. Arguments: file name, width pt, height pt, label, [pages].
ps_poster() {
  local name="$1" w="$2" h="$3" label="$4" pages="${5:-1}"
  {
    echo "%!PS-Adobe-3.0"
    echo "<< /PageSize [$w $h] >> setpagedevice"
    for ((p = 1; p <= pages; p++)); do
      cat <<EOF
0.9 0.95 1 setrgbcolor 0 0 $w $h rectfill
0 0 0.5 setrgbcolor 20 setlinewidth 30 30 $w 60 sub $h 60 sub rectstroke
/Helvetica-Bold findfont $w 20 div scalefont setfont
60 $h 2 div moveto ($label) show
/Helvetica findfont $w 40 div scalefont setfont
60 $h 2 div $w 15 div sub moveto (confday poster corpus, page $p) show
showpage
EOF
    done
  } > "$name.ps"
  ps2pdf -dAutoRotatePages=/None "$name.ps" "$out/$name"
}

# --- Ghostscript: ISO and US sizes -------------------------------------------------------
ps_poster iso-a0-portrait.pdf 2384 3370 "ISO A0 portrait"
ps_poster iso-a0-landscape.pdf 3370 2384 "ISO A0 landscape"
ps_poster iso-a1-portrait.pdf 1684 2384 "ISO A1 portrait"
ps_poster iso-a2-portrait.pdf 1191 1684 "ISO A2 portrait"
ps_poster iso-a4-portrait.pdf 595 842 "ISO A4 portrait"
ps_poster us-24x36-portrait.pdf 1728 2592 "24 x 36 in"
ps_poster us-36x24-landscape.pdf 2592 1728 "36 x 24 in"
ps_poster us-36x48-portrait.pdf 2592 3456 "36 x 48 in"
ps_poster us-48x36-landscape.pdf 3456 2592 "48 x 36 in"
ps_poster us-48.5x36-landscape.pdf 3492 2592 "48.5 x 36 in"
ps_poster us-49x36-landscape.pdf 3528 2592 "49 x 36 in"
ps_poster us-50x40-landscape.pdf 3600 2880 "50 x 40 in"
ps_poster two-pages-a1.pdf 1684 2384 "Two pages" 2

# --- qpdf: rotation and encryption of real files -----------------------------------------
# /Rotate 90 on an A0 portrait MediaBox: it hangs as A0 landscape.
qpdf --rotate=+90 "$out/iso-a0-portrait.pdf" "$out/rotated-90-a0-portrait-mediabox.pdf"
# Needs a password to open.
qpdf --encrypt secret owner-secret 256 -- "$out/iso-a1-portrait.pdf" \
  "$out/encrypted-user-password.pdf"
# Opens without a password; the owner password only forbids printing.
qpdf --allow-weak-crypto --encrypt "" owner-secret 256 --print=none -- \
  "$out/iso-a1-portrait.pdf" "$out/encrypted-owner-only-no-print.pdf"
# Opens without a password, its objects in encrypted object streams (as pdfTeX, Acrobat and
# PDFBox write them): judged on size, the object streams measured after decryption.
qpdf --encrypt "" owner-secret 256 --print=full -- --object-streams=generate \
  "$out/iso-a1-portrait.pdf" "$out/encrypted-owner-only-object-streams.pdf"

# --- LaTeX posters -----------------------------------------------------------------------
cat > tikzposter-a1.tex <<'EOF'
\documentclass[25pt, a1paper, portrait]{tikzposter}
\title{Machine Learning for Astrophysics} \author{A. Presenter} \institute{confday corpus}
\begin{document}
\maketitle
\block{Method}{We check poster sizes before they reach the wall.}
\block{Results}{ISO A1 portrait is the recommended size.}
\end{document}
EOF
# a0poster sets \paperwidth but not pdfTeX's page size: without the two assignments below
# pdflatex writes an A4 page (a real mistake; kept in the corpus as latex-a0poster-forgot-*).
cat > a0poster-landscape-forgot-pagesize.tex <<'EOF'
\documentclass[a0,landscape]{a0poster}
\begin{document}
\begin{center}\VeryHuge Machine Learning for Astrophysics\end{center}
\end{document}
EOF
cat > a0poster-landscape.tex <<'EOF'
\documentclass[a0,landscape]{a0poster}
\pdfpagewidth=\paperwidth \pdfpageheight=\paperheight
\begin{document}
\begin{center}\VeryHuge Machine Learning for Astrophysics\\[2cm]
\Huge An a0poster in A0 landscape\end{center}
\end{document}
EOF
# OpenAction JavaScript written by pdfTeX itself.
cat > latex-javascript.tex <<'EOF'
\documentclass{article}
\usepackage[paperwidth=594mm, paperheight=841mm]{geometry}
\pdfcatalog{/OpenAction << /S /JavaScript /JS (app.alert\string\(1\string\);) >>}
\begin{document}\Huge A poster that runs a script when opened.\end{document}
EOF
# A link annotation whose action launches a program (user{} is the annotation dictionary).
cat > latex-launch.tex <<'EOF'
\documentclass{article}
\usepackage[paperwidth=594mm, paperheight=841mm]{geometry}
\begin{document}\Huge
\leavevmode\pdfstartlink user{/Subtype /Link /A << /S /Launch /F (calc.exe) >>}Open the calculator\pdfendlink
\end{document}
EOF
# A document-level embedded file (/Names /EmbeddedFiles).
cat > latex-embedded-file.tex <<'EOF'
\documentclass{article}
\usepackage[paperwidth=594mm, paperheight=841mm]{geometry}
\usepackage{embedfile}
\embedfile{latex-embedded-file.tex}
\begin{document}\Huge A poster that carries its own source as an attachment.\end{document}
EOF
for tex in tikzposter-a1 a0poster-landscape a0poster-landscape-forgot-pagesize latex-javascript latex-launch latex-embedded-file; do
  pdflatex -interaction=batchmode -halt-on-error "$tex.tex" > /dev/null
done
cp tikzposter-a1.pdf "$out/latex-tikzposter-a1-portrait.pdf"
cp a0poster-landscape.pdf "$out/latex-a0poster-a0-landscape.pdf"
cp a0poster-landscape-forgot-pagesize.pdf "$out/latex-a0poster-forgot-pagesize-a4.pdf"
cp latex-javascript.pdf "$out/active-javascript-openaction.pdf"
cp latex-launch.pdf "$out/active-launch-annotation.pdf"
cp latex-embedded-file.pdf "$out/active-embedded-file.pdf"

# --- ImageMagick: a raster PDF, and a PNG renamed to .pdf --------------------------------
/usr/bin/convert -size 594x841 gradient:lightblue-white -units PixelsPerCentimeter \
  -density 10 -compress Zip "PDFA:$out/imagemagick-a1-raster.pdf"
/usr/bin/convert -size 240x360 gradient:white-navy "png:$out/renamed-png.pdf"

# --- Damaged and non-PDF files -----------------------------------------------------------
: > "$out/empty.pdf"
printf 'Poster abstract: see attached slides.\n' > "$out/renamed-text.pdf"
size=$(stat -c %s "$out/latex-tikzposter-a1-portrait.pdf")
head -c $((size / 2)) "$out/latex-tikzposter-a1-portrait.pdf" > "$out/truncated-half.pdf"
# Cut to 30% and "repaired" with an end-of-file marker: it opens, but its font objects are gone.
size=$(stat -c %s "$out/iso-a1-portrait.pdf")
{ head -c $((size * 3 / 10)) "$out/iso-a1-portrait.pdf"; printf '\n%%%%EOF\n'; } \
  > "$out/truncated-30-percent-eof-appended.pdf"

# --- Hand-written structure cases and decompression bombs (python3) ----------------------
python3 - "$out" <<'EOF'
import hashlib
import struct
import sys
import zlib

out = sys.argv[1]

def write_pdf(name, objects):
    """objects: list of bytes bodies for objects 1..n; object 1 is the catalog."""
    data = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        data += b"%010d 00000 n \n" % offset
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    with open(f"{out}/{name}", "wb") as f:
        f.write(data)

def stream(content, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"

drawing = b"0.2 0.3 0.8 rg 50 50 m 500 50 l 500 500 l f\n"

def one_page(name, page_entries, pages_entries=b""):
    write_pdf(name, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 " + pages_entries + b" >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R " + page_entries + b" >>",
        stream(drawing),
    ])

# A 24 x 36 in CropBox inside a 5000 pt (69 in) square MediaBox: the CropBox decides.
one_page("cropbox-24x36-inside-huge-mediabox.pdf",
         b"/MediaBox [0 0 5000 5000] /CropBox [100 100 1828 2692]")
# A CropBox reaching far beyond an A1 MediaBox: clipped to A1.
one_page("cropbox-larger-than-a1-mediabox.pdf",
         b"/MediaBox [0 0 1684 2384] /CropBox [-500 -500 4000 4000]")
# /UserUnit 2: 1728 x 1275 units of 1/36 in = 48 x 35.4 in.
one_page("userunit-2-48x35.4in.pdf", b"/MediaBox [0 0 1728 1275] /UserUnit 2")
# /UserUnit 3: 1728 x 1296 units of 1/24 in = 72 x 54 in.
one_page("userunit-3-72x54in.pdf", b"/MediaBox [0 0 1728 1296] /UserUnit 3")
# MediaBox and /Rotate inherited from the page tree node: A1 turned to landscape.
one_page("inherited-mediabox-rotate-a1.pdf", b"", b"/MediaBox [0 0 1684 2384] /Rotate 90")
# No MediaBox anywhere: the page has no size.
one_page("no-mediabox.pdf", b"")

def bomb(name, gigabytes, layers):
    """An A1 page whose content stream inflates to `gigabytes` GB of zero bytes."""
    chunk = bytes(64 * 1024 * 1024)
    data = b""
    for layer in range(layers):
        compressor = zlib.compressobj(9)
        parts = []
        if layer == 0:
            for _ in range(gigabytes * 16):
                parts.append(compressor.compress(chunk))
        else:
            parts.append(compressor.compress(data))
        parts.append(compressor.flush())
        data = b"".join(parts)
    filters = b"/Filter [" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    write_pdf(name, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R >>",
        stream(data, filters),
    ])

def structure_bomb(name, where):
    """256 MB of padding (8x the bound) inside the structure PDFBox decodes into heap memory while opening the
    file: the object stream holding the page ("objstm"), or the xref stream ("xref")."""
    import struct
    padding = 1 << 28
    compressor = zlib.compressobj(9)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"
    parts = []
    if where == "objstm":
        header = b"3 %d " % padding
        parts.append(compressor.compress(header))
    else:
        header = b""
    body_chunk = b" " * (64 << 20) if where == "objstm" else bytes(64 << 20)
    def pad():
        for _ in range(padding // len(body_chunk)):
            parts.append(compressor.compress(body_chunk))
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"}
    if where == "objstm":
        pad()
        parts.append(compressor.compress(page))
        parts.append(compressor.flush())
        packed = b"".join(parts)
        objects[4] = (b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\n"
                      b"stream\n" % (len(header), len(packed)) + packed + b"\nendstream")
    else:
        objects[3] = page
    data = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(data)
        data += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_offset = len(data)
    rows = b"\x00" + struct.pack(">I", 0) + b"\x00"
    for number in range(1, 5):
        if where == "objstm" and number == 3:
            rows += b"\x02" + struct.pack(">I", 4) + b"\x00"
        elif number in offsets:
            rows += b"\x01" + struct.pack(">I", offsets[number]) + b"\x00"
        else:
            rows += b"\x01" + struct.pack(">I", xref_offset) + b"\x00"
    if where == "xref":
        parts.append(compressor.compress(rows))
        pad()
        parts.append(compressor.flush())
        rows = b"".join(parts)
        filter_entry = b"/Filter /FlateDecode "
    else:
        filter_entry = b""
    data += (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R %s/Length %d >>\nstream\n"
             % (filter_entry, len(rows)) + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
             % xref_offset)
    with open(f"{out}/{name}", "wb") as f:
        f.write(data)

def encrypted_structure_bomb(name, padding):
    """An object stream padded to `padding` bytes (8x the bound) in a file encrypted with an
    owner password only: standard security handler revision 3, RC4 128-bit, by the algorithms
    of PDF 32000-1 7.6.3 (written out here: no tool writes an object stream holding padding)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

    def rc4(key, data):
        s = list(range(256))
        j = 0
        for i in range(256):
            j = (j + s[i] + key[i % len(key)]) % 256
            s[i], s[j] = s[j], s[i]
        i = j = 0
        out = bytearray()
        for byte in data:
            i = (i + 1) % 256
            j = (j + s[i]) % 256
            s[i], s[j] = s[j], s[i]
            out.append(byte ^ s[(s[i] + s[j]) % 256])
        return bytes(out)

    def md5(data):
        return hashlib.md5(data).digest()

    n = 16
    permissions = -4
    file_id = md5(name.encode())
    # Algorithm 3: the O entry, from the owner password "owner-secret"
    key = md5((b"owner-secret" + pad)[:32])
    for _ in range(50):
        key = md5(key[:n])
    owner = rc4(key[:n], pad)
    for i in range(1, 20):
        owner = rc4(bytes(b ^ i for b in key[:n]), owner)
    # Algorithm 2: the file key, from the empty user password
    key = md5(pad + owner + struct.pack("<i", permissions) + file_id)
    for _ in range(50):
        key = md5(key[:n])
    key = key[:n]
    # Algorithm 5: the U entry
    user = rc4(key, md5(pad + file_id))
    for i in range(1, 20):
        user = rc4(bytes(b ^ i for b in key), user)
    user += bytes(16)

    def object_key(number):
        return md5(key + struct.pack("<I", number)[:3] + b"\x00\x00")[:min(n + 5, 16)]

    compressor = zlib.compressobj(9)
    header = b"3 %d " % padding
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"
    parts = [compressor.compress(header)]
    chunk = b" " * min(16 << 20, padding)
    for _ in range(padding // len(chunk)):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.compress(page))
    parts.append(compressor.flush())
    packed = rc4(object_key(4), b"".join(parts))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
           % (len(header), len(packed)) + packed + b"\nendstream",
        5: b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d /O <%s> /U <%s> >>"
           % (permissions, owner.hex().encode(), user.hex().encode()),
    }
    data = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(data)
        data += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_offset = len(data)
    rows = b"\x00" + struct.pack(">I", 0) + b"\xff"
    for number in range(1, 6):
        if number == 3:
            rows += b"\x02" + struct.pack(">I", 4) + b"\x00"
        else:
            rows += b"\x01" + struct.pack(">I", offsets[number]) + b"\x00"
    rows += b"\x01" + struct.pack(">I", xref_offset) + b"\x00"
    data += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 1] /Root 1 0 R /Encrypt 5 0 R "
             b"/ID [<%s><%s>] /Length %d >>\nstream\n"
             % (file_id.hex().encode(), file_id.hex().encode(), len(rows))
             + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset)
    with open(f"{out}/{name}", "wb") as f:
        f.write(data)

structure_bomb("bomb-object-stream-256mb.pdf", "objstm")
encrypted_structure_bomb("bomb-encrypted-object-stream-256mb.pdf", 1 << 28)
structure_bomb("bomb-xref-stream-256mb.pdf", "xref")
bomb("bomb-flate-1gb.pdf", 1, 1)
bomb("bomb-double-flate-4gb.pdf", 4, 2)
EOF

# qpdf agrees the hand-written files are well formed (bombs excluded: --check inflates).
for f in cropbox-24x36-inside-huge-mediabox cropbox-larger-than-a1-mediabox userunit-2-48x35.4in \
    userunit-3-72x54in inherited-mediabox-rotate-a1; do
  qpdf --check "$out/$f.pdf" > /dev/null
done

for f in "$out"/*.pdf; do
  printf '%-45s %8s bytes  %s\n' "$(basename "$f")" "$(stat -c %s "$f")" \
    "$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Page size: *//p')"
done
