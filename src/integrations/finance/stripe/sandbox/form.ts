/**
 * Stripe's v1 API takes `application/x-www-form-urlencoded` bodies (and query strings) with bracketed keys:
 * `metadata[rh_reference]=x`, `custom_fields[0][name]=PO%20number`, `created[gte]=1700000000`. The SDK writes them;
 * the sandbox reads them back into nested objects (numeric keys become arrays), all values still strings.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

function segments(key: string): string[] {
  const head = /^[^[]+/.exec(key)?.[0] ?? '';
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  return [head, ...rest];
}

function arrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, arrays(value[k] as FormValue)]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => converted[String(k)] as FormValue);
  }
  return converted;
}

/**
 * Decodes Stripe form parameters into nested objects.
 * @example decodeStripeForm('metadata[a]=1&custom_fields[0][name]=PO') // { metadata: { a: '1' }, custom_fields: [{ name: 'PO' }] }
 */
export function decodeStripeForm(input: string | URLSearchParams): Record<string, FormValue> {
  const params = typeof input === 'string' ? new URLSearchParams(input) : input;
  const root: Record<string, FormValue> = {};
  for (const [key, value] of params) {
    const path = segments(key);
    let node: Record<string, FormValue> = root;
    path.forEach((seg, i) => {
      // `expand[]=a&expand[]=b`: an empty index appends.
      const name = seg === '' ? String(Object.keys(node).length) : seg;
      if (i === path.length - 1) {
        node[name] = value;
        return;
      }
      const next = node[name];
      if (typeof next !== 'object' || Array.isArray(next)) node[name] = {};
      node = node[name] as Record<string, FormValue>;
    });
  }
  return arrays(root) as Record<string, FormValue>;
}
