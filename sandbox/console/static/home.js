/**
 * The app's Home tab, as a Slack client shows it: the view the bot last published for this person
 * (views.publish), drawn with the same blocks as messages, redrawn whenever the bot publishes again.
 */
import { renderBlocks } from './blocks.js';
import { h } from './dom.js';

/**
 * @param {{ id: string, blocks: unknown[], version: number } | undefined} home
 * @param {Parameters<typeof renderBlocks>[1]} ctx
 */
export function drawHome(home, ctx) {
  const box = document.getElementById('home-view');
  box.dataset.version = String(home?.version ?? 0);
  box.replaceChildren(
    home ? renderBlocks(home.blocks, ctx) : h('p', { class: 'muted' }, 'Opening Home… the app publishes it.'),
  );
}
