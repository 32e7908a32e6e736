// What a masked user (permissions.masked) is given of a person: the ID number's address code only
// and the birth year instead of the birth date (docs/security.md, "Masked users"). Pages show
// whichever the server sent.

export interface BirthShown {
  birth_date?: string;
  birth_year?: number | null;
}

// The birth date, or for a masked user the birth year ('' when neither is known).
export function birthShown(p: BirthShown): string {
  if (p.birth_date) return p.birth_date;
  return p.birth_year == null ? '' : String(p.birth_year);
}

// The i18n key of the birth column: a date for full users, a year for masked ones.
export function birthLabelKey(masked: boolean | undefined): string {
  return masked ? 'hh.birthYear' : 'hh.birth';
}
