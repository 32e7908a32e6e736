// The shapes of the printed documents and the periodic reports' answers (issue 17), as
// /work/notes/common17.md gives them (service/document_json.h and the report routes). Hand-written
// until the routes' schemas are in src/server/openapi.json; then they are named in schemas.ts and
// this file goes.

export type DocCellType = 'text' | 'integer' | 'fen' | 'percent' | 'date';
// text/date → string; integer → number; fen → decimal string in yuan "1234.50"; percent → decimal
// string "91.50" (no % sign); empty → null.
export type DocCell = string | number | null;

export interface DocColumn {
  id: string;
  title_zh: string;
  title_en: string;
  type: DocCellType;
}
export interface DocRow {
  cells: DocCell[];
  total: boolean;
}
export interface DocChart {
  kind: 'bar' | 'line';
  label_column: number;
  value_columns: number[];
}
export interface DocSection {
  id: string;
  title_zh: string;
  title_en: string;
  note_zh: string;
  note_en: string;
  columns: DocColumn[];
  rows: DocRow[];
  chart?: DocChart;  // absent when none
}
export interface DocFact {
  label_zh: string;
  label_en: string;
  value: string;
}
export interface Document {
  kind: string;  // weekly / monthly / quarterly / annual / village_register / township_book
  title_zh: string;
  title_en: string;
  unit: { code: string; name: string };
  period: string;
  from: string;
  to: string;
  as_of: string;
  facts: DocFact[];
  sections: DocSection[];
  signatures: string[];
}

export type ReportKind = 'weekly' | 'monthly' | 'quarterly' | 'annual';

export interface IssuedMeta {
  id: number;
  kind: ReportKind;
  unit_code: string;
  unit_name: string;
  period: string;
  as_of: string;
  issued_at: string;
  issued_by: string;
  hash: string;  // hex BLAKE2b-256 of the document JSON as stored
  seq: number;   // its change-log entry
}

// GET /api/reports/periodic?kind=&unit=&period=&format=json
export interface PeriodicAnswer {
  document: Document;
}
// POST /api/reports/issued (201) and GET /api/reports/issued/{id}
export interface IssuedAnswer {
  issued: IssuedMeta;
  document: Document;
}
// GET /api/reports/issued?unit=&kind=&limit=&offset=
export interface IssuedList {
  issued: IssuedMeta[];
  total: number;
}
// GET /api/reports/issued/{id}/compare?with=ID
export interface CompareRow {
  section_id: string;
  section_title_zh: string;
  section_title_en: string;
  label: string;
  column_id: string;
  column_title_zh: string;
  column_title_en: string;
  type: DocCellType;
  previous: DocCell;
  current: DocCell;
  change: DocCell;
}
export interface CompareAnswer {
  report: IssuedMeta;
  previous: IssuedMeta;
  rows: CompareRow[];
}
// GET /api/reports/due?unit=&as_of=
export type DueState = 'issued' | 'due' | 'overdue';
export interface DueItem {
  unit_code: string;
  unit_name: string;
  kind: ReportKind;
  period: string;
  due_on: string;
  state: DueState;
  issued_id: number | null;
  issued_at: string | null;
}
export interface DueAnswer {
  as_of: string;
  items: DueItem[];
}
