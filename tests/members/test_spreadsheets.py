"""The one CSV format of every export: BOM, semicolons, formulas neutralised, numbers intact."""

from tcri_site.spreadsheets import csv_bytes, read_csv


def test_bom_semicolons_and_accents():
    data = csv_bytes(["Région", "Inscriptions"], [["Montérégie", 12], ["Côte-Nord; Est", 3]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"R\xc3\xa9gion;Inscriptions" in data
    assert read_csv(data) == [["Région", "Inscriptions"], ["Montérégie", "12"], ["Côte-Nord; Est", "3"]]


def test_text_that_a_spreadsheet_would_run_is_neutralised_but_numbers_are_not():
    rows = read_csv(csv_bytes(["x"], [["=1+1"], ["@SUM(A1)"], ["-2+3"], ["+x"], [-5], [2.5], [None]]))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'@SUM(A1)", "'-2+3", "'+x", "-5", "2.5", ""]
