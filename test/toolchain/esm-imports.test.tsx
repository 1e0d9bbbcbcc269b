import { Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it } from '@jest/globals';

function Hello({ name }: { name: string }) {
  return <Text>Hello {name}</Text>;
}

describe('toolchain', () => {
  it('imports the ESM-only @hubspot/ui-extensions and renders a component with its test renderer', () => {
    const renderer = createRenderer('crm.record.tab');
    renderer.render(<Hello name="Ada" />);
    expect(renderer.find(Text).text).toBe('Hello Ada');
  });

  it('runs on the pinned Node 24, not the machine Node 20', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });
});
