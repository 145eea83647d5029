/** The roles a note can play in the canonical stack (README "Design decisions"). */
export const ROLES = [
  'control-center',
  'implementation-plan',
  'observability-playbook',
  'evidence-log',
  'operating-model',
] as const;

export type Role = (typeof ROLES)[number];

/** Roles whose absence is an error; a missing operating model is only a warning. */
export const REQUIRED_ROLES: readonly Role[] = ['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log'];

/** A human name for each role, for messages and the UI. */
export const ROLE_TITLES: Record<Role, string> = {
  'control-center': 'control center',
  'implementation-plan': 'implementation plan',
  'observability-playbook': 'observability playbook',
  'evidence-log': 'evidence log',
  'operating-model': 'operating model',
};

/** Narrows a frontmatter value to a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
