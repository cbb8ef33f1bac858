// The practice mode, kept between visits. Training shows meters, the
// discovery checklist and the acts found; assessment hides them.
const KEY = 'roleplay.mode';
let memo = null; // for browsers that refuse storage

export function getMode() {
  let mode = memo;
  try {
    mode = localStorage.getItem(KEY) || memo;
  } catch {
    // keep memo
  }
  return mode === 'assessment' ? 'assessment' : 'training';
}

export function setMode(mode) {
  memo = mode === 'assessment' ? 'assessment' : 'training';
  try {
    localStorage.setItem(KEY, memo);
  } catch {
    // memo holds it for this page
  }
}
