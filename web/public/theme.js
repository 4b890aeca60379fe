// Runs before the page is painted (a blocking script in <head>; the CSP allows no inline
// script): a theme chosen on an earlier visit applies from the first frame.
try {
  const choice = localStorage.getItem('easel.theme');
  if (choice === 'light' || choice === 'dark') document.documentElement.dataset.theme = choice;
} catch {
  // Storage disabled: the system's preference applies.
}
