// Node's permission flags for a confined run, picked from the running Node's version (design.md §4):
// 20 → --experimental-permission; from 22.13 → --permission; from 25, which also confines the network, add
// --allow-net since snippets talk to brokers. A seatbelt with clear errors, not a security wall.
export function permissionFlags(version: string, allow: { read: string[]; write: string[] }): string[] {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const stable = major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  const flags = [stable ? '--permission' : '--experimental-permission'];
  for (const p of allow.read) flags.push(`--allow-fs-read=${p}`);
  for (const p of allow.write) flags.push(`--allow-fs-write=${p}`);
  if (major >= 25) flags.push('--allow-net');
  return flags;
}
