// Stands in for `decode-named-character-reference` in the plugin bundle. Its browser build decodes
// through `innerHTML` on a live element, created when the bundle loads; this one asks an inert
// document from DOMParser (no scripts run, nothing loads), and only when an entity is met.
let parser: DOMParser | null = null;

/** Decodes `&value;` as HTML does, or false when it is not a complete named character reference. */
export function decodeNamedCharacterReference(value: string): string | false {
  const reference = `&${value};`;
  parser ??= new DOMParser();
  const character = parser.parseFromString(`<p>${reference}</p>`, 'text/html').body.textContent ?? reference;
  // Some references need no semicolon (`&not`), so `&notit;` decodes to `¬it;`: a trailing `;` means it was incomplete.
  if (character.charCodeAt(character.length - 1) === 59 && value !== 'semi') return false;
  return character === reference ? false : character;
}
