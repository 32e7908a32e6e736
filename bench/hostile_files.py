#!/usr/bin/env python3
"""Writes the hostile import files of issue 11 into a directory (generated, never committed).

    bench/hostile_files.py OUTDIR [--mib N]

  huge_row.xlsx       6 KB-class workbook with data in row 9x10^18 (finding 3)
  bomb_inline.xlsx    one inline string of N MiB, about N KB compressed (finding 4)
  bomb_shared.xlsx    one shared string of N MiB
  bomb_workbook.xlsx  a workbook.xml of N MiB
  long_line.csv       a CSV whose second line is min(N, 60) MiB without a line end (fits the
                      server's 64 MiB body limit)

N defaults to 1024 (the issue's 1.1 GB); tests use a few MiB. Large parts are streamed into the
zip, so the script itself needs little memory.
"""
import argparse
import os
import zipfile

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'
HEADER = ['户编号', '行政区划代码', '姓名', '证件号码', '与户主关系', '贫困户属性', '主要致贫原因', '识别年度']
CHUNK = 1 << 20


def header_row():
    cells = ''.join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER))
    return f'<row r="1">{cells}</row>'


def stream(zf, name, before, filler, size, after):
    info = zipfile.ZipInfo(name, date_time=(2017, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, 'w', force_zip64=True) as out:
        out.write(before.encode())
        block = (filler * (CHUNK // len(filler))).encode()
        left = size
        while left > 0:
            piece = block[:min(left, len(block))]
            out.write(piece)
            left -= len(piece)
        out.write(after.encode())


def workbook(path, sheet_rows=None, big=None, strings=None):
    """big: (part, before, filler, size, after) streamed in place of that part."""
    parts = {
        '[Content_Types].xml': HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        '_rels/.rels': HEAD + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                              'Target="xl/workbook.xml"/></Relationships>',
        'xl/workbook.xml': HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                                  '<sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        'xl/_rels/workbook.xml.rels': HEAD + f'<Relationships xmlns="{PKG}">'
                                             f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                                             f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                                             '</Relationships>',
        'xl/worksheets/sheet1.xml': HEAD + f'<worksheet xmlns="{MAIN}"><sheetData>' + header_row() +
                                    (sheet_rows or '') + '</sheetData></worksheet>',
    }
    if strings is not None:
        parts['xl/sharedStrings.xml'] = HEAD + f'<sst xmlns="{MAIN}">{strings}</sst>'
    with zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            if big and big[0] == name:
                stream(zf, *big)
            else:
                zf.writestr(zipfile.ZipInfo(name, date_time=(2017, 1, 1, 0, 0, 0)), text,
                            compress_type=zipfile.ZIP_DEFLATED)
        if big and big[0] not in parts:
            stream(zf, *big)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out')
    parser.add_argument('--mib', type=int, default=1024)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    size = args.mib << 20
    row = '9000000000000000000'
    workbook(os.path.join(args.out, 'huge_row.xlsx'),
             sheet_rows=f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>5404251000010001</t></is></c></row>')
    sheet_head = HEAD + f'<worksheet xmlns="{MAIN}"><sheetData>' + header_row()
    workbook(os.path.join(args.out, 'bomb_inline.xlsx'),
             big=('xl/worksheets/sheet1.xml', sheet_head + '<row r="2"><c r="A2" t="inlineStr"><is><t>5404251000010001'
                  '</t></is></c><c r="C2" t="inlineStr"><is><t>', 'A', size,
                  '</t></is></c></row></sheetData></worksheet>'))
    workbook(os.path.join(args.out, 'bomb_shared.xlsx'),
             sheet_rows='<row r="2"><c r="C2" t="s"><v>0</v></c></row>',
             big=('xl/sharedStrings.xml', HEAD + f'<sst xmlns="{MAIN}"><si><t>', 'A', size, '</t></si></sst>'))
    workbook(os.path.join(args.out, 'bomb_workbook.xlsx'),
             big=('xl/workbook.xml', HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><!--', ' ', size,
                  '--><sheets><sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>'))
    with open(os.path.join(args.out, 'long_line.csv'), 'wb') as out:
        out.write((','.join(HEADER) + '\n').encode())
        block = b'N' * CHUNK
        for _ in range(min(args.mib, 60)):
            out.write(block)


if __name__ == '__main__':
    main()
