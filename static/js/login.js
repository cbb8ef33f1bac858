// Sign in (#/login) and accept an invite or the first admin's setup link
// (#/accept/<token>).
import { h, append, id } from './dom.js';
import { me, send } from './account.js';

function field(label, input) {
  const fid = id('f');
  input.setAttribute('id', fid);
  return h('div', { class: 'field' }, h('label', { for: fid }, label), input);
}

function errorBox() {
  return h('p', { class: 'form-error', role: 'alert', hidden: true });
}

function showError(box, err) {
  box.textContent = err.message;
  box.hidden = false;
}

// landing is where a user goes once signed in.
export function landing(user) {
  return user && user.role !== 'trainee' ? '#/calls' : '#/';
}

export function loginView(root) {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'username', required: true });
  const pw = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = errorBox();
  const form = h('form', { class: 'card auth-form' },
    h('h1', null, 'Sign in'),
    field('Name', name), field('Password', pw), err,
    h('button', { type: 'submit', class: 'btn primary' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const user = await send('POST', '/api/login', { name: name.value, password: pw.value });
      await me(true);
      location.hash = landing(user);
    } catch (ex) {
      showError(err, ex);
    }
  });
  append(root, form);
  me().then((m) => {
    if (m.anonymous_practice) append(form, h('p', { class: 'muted' }, 'Or ', h('a', { href: '#/' }, 'practise without an account'), '.'));
  });
  return {};
}

export function acceptView(root, token) {
  const holder = h('div', { class: 'card auth-form' }, h('h1', null, 'Set your password'));
  append(root, holder);
  me().then((m) => {
    const setup = m.setup;
    const name = h('input', { type: 'text', name: 'name', autocomplete: 'username', required: true });
    const pw = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 8, required: true });
    const err = errorBox();
    const form = h('form', null,
      setup && h('p', null, 'Nobody has an account yet: you become the first admin.'),
      setup && field('Your name', name),
      field('New password (at least 8 characters)', pw), err,
      h('button', { type: 'submit', class: 'btn primary' }, setup ? 'Create the admin account' : 'Set password and sign in'));
    if (setup) holder.querySelector('h1').textContent = 'Create the first admin';
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.hidden = true;
      try {
        const body = { token, password: pw.value };
        if (setup) body.name = name.value;
        const user = await send('POST', '/api/accept', body);
        await me(true);
        location.hash = landing(user);
      } catch (ex) {
        showError(err, ex);
      }
    });
    append(holder, form);
  });
  return {};
}
