/**
 * Block Kit as a Slack client shows it: header, section (text, fields, an accessory button or
 * image), context, divider, image and actions (buttons with their style and confirm dialog).
 * A block this client does not know is named, not dropped, so that nothing is silently missing.
 */
import { h } from './dom.js';
import { plainText, renderText } from './render-text.js';

/**
 * @param {unknown[]} blocks
 * @param {import('./render-text.js').Directory & {
 *   onButton: (button: object, blockId: string, element: HTMLButtonElement) => void
 * }} ctx
 */
export function renderBlocks(blocks, ctx) {
  return h(
    'div',
    { class: 'blocks' },
    blocks.map((b) => block(b, ctx)),
  );
}

function block(b, ctx) {
  switch (b?.type) {
    case 'header':
      return h('div', { class: 'b-header', role: 'heading', 'aria-level': '3' }, plainText(b.text));
    case 'section':
      return section(b, ctx);
    case 'context':
      return h(
        'div',
        { class: 'b-context' },
        (b.elements ?? []).map((e) =>
          e.type === 'image' ? image(e, 'b-context-image') : h('span', { class: 'b-context-text' }, renderText(e, ctx)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'b-divider' });
    case 'image':
      return h('figure', { class: 'b-image' }, image(b), b.title ? h('figcaption', {}, plainText(b.title)) : null);
    case 'actions':
      return h(
        'div',
        { class: 'b-actions', role: 'group' },
        (b.elements ?? []).map((e) => element(e, b.block_id ?? '', ctx)),
      );
    default:
      return h(
        'div',
        { class: 'b-unknown' },
        `[a ${String(b?.type ?? 'malformed')} block, which the sandbox does not show]`,
      );
  }
}

function section(b, ctx) {
  const body = h(
    'div',
    { class: 'b-section-body' },
    b.text ? h('div', { class: 'b-text' }, renderText(b.text, ctx)) : null,
    b.fields?.length
      ? h(
          'div',
          { class: 'b-fields' },
          b.fields.map((f) => h('div', { class: 'b-field' }, renderText(f, ctx))),
        )
      : null,
  );
  const accessory = b.accessory ? element(b.accessory, b.block_id ?? '', ctx) : null;
  return h('div', { class: `b-section${accessory ? ' has-accessory' : ''}` }, body, accessory);
}

function element(e, blockId, ctx) {
  if (e.type === 'image') return image(e, 'b-accessory-image');
  if (e.type !== 'button') return h('span', { class: 'b-unknown' }, `[${String(e.type)}]`);
  const style = e.style === 'primary' || e.style === 'danger' ? ` btn-${e.style}` : '';
  const button = h(
    'button',
    { type: 'button', class: `btn${style}`, 'data-action-id': e.action_id },
    plainText(e.text),
  );
  if (e.url) {
    button.addEventListener('click', () => window.open(e.url, '_blank', 'noopener'));
  } else {
    button.addEventListener('click', () => ctx.onButton(e, blockId, button));
  }
  return button;
}

function image(e, className = '') {
  if (!/^https?:/i.test(String(e.image_url ?? '')))
    return h('span', { class: 'b-unknown' }, `[image: ${e.alt_text ?? ''}]`);
  return h('img', { class: className, src: e.image_url, alt: e.alt_text ?? '' });
}
