import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../commands/index.js';

const root = resolve(import.meta.dirname, '../..');
interface Manifest {
  display_information: { name: string };
  features: {
    app_home: { home_tab_enabled: boolean };
    slash_commands: { command: string; description: string; usage_hint: string; url?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions: { bot_events: string[]; request_url?: string };
  };
}
const manifest = parse(readFileSync(resolve(root, 'manifest.yml'), 'utf8')) as Manifest;
const schema = JSON.parse(readFileSync(resolve(root, 'test/fixtures/slack-manifest.schema.json'), 'utf8'));

describe('manifest.yml', () => {
  it("is valid against Slack's manifest JSON Schema", () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check has teeth: a name over 35 characters is refused', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const broken = structuredClone(manifest);
    broken.display_information.name = 'x'.repeat(36);
    expect(ajv.validate(schema, broken)).toBe(false);
  });

  it('defines /lambda and names every subcommand in its description and usage hint', () => {
    const [lambda] = manifest.features.slash_commands;
    expect(lambda?.command).toBe('/lambda');
    for (const { verb } of COMMANDS) {
      expect(lambda?.description).toContain(verb);
      expect(lambda?.usage_hint).toContain(verb);
    }
  });

  it('points every URL at /slack/events', () => {
    expect(manifest.features.slash_commands[0]?.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  });

  it('asks for exactly the scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['chat:write', 'chat:write.public', 'commands', 'usergroups:read', 'users:read'].sort(),
    );
  });

  it('enables interactivity, the App Home tab and app_home_opened, with Socket Mode off', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
