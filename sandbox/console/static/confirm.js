/**
 * A button's `confirm` object as Slack shows it: a modal dialog with its title, text and two
 * buttons. Resolves true only when the person confirms; Escape and Cancel resolve false.
 */
import { plainText, renderText } from './render-text.js';

/** @returns {Promise<boolean>} */
export function confirmDialog(confirm, dir) {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('confirm'));
  const ok = document.getElementById('confirm-ok');
  document.getElementById('confirm-title').textContent = plainText(confirm.title ?? { text: 'Are you sure?' });
  document.getElementById('confirm-text').replaceChildren(renderText(confirm.text ?? '', dir));
  ok.textContent = plainText(confirm.confirm ?? { text: 'Yes' });
  ok.className = `btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}`;
  document.getElementById('confirm-deny').textContent = plainText(confirm.deny ?? { text: 'Cancel' });
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
    ok.focus();
  });
}
