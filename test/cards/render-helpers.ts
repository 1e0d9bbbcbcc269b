/**
 * Small helpers over `@hubspot/ui-extensions/testing`: the text a person reads inside a node (the renderer's own
 * `.text` covers direct text children only), and firing an event with the argument HubSpot passes (the package
 * types `trigger`'s argument as the handler itself, so it is cast here, once).
 */

interface NodeLike {
  nodeType: string;
  text?: string | null;
  childNodes?: ReadonlyArray<NodeLike>;
}

/** Every text inside `node`, one line per text node. */
export function textOf(node: NodeLike | null | undefined): string {
  if (!node) return '';
  if (node.nodeType === 'text') return node.text ?? '';
  return (node.childNodes ?? []).map((c) => textOf(c)).join('\n');
}

interface Triggerable {
  trigger: (eventPropName: never, eventArg?: never) => void;
}

/** Calls `node.props[event](arg)` the way HubSpot would, e.g. fire(select, 'onChange', 'net_30'). */
export function fire(node: Triggerable, event: string, arg?: unknown): void {
  (node.trigger as unknown as (name: string, value?: unknown) => void)(event, arg);
}
