import { render } from 'preact';
import { restoreSession } from './api/session.ts';
import { App } from './app.tsx';
import { startRouter } from './router.ts';
import './styles.css';

startRouter();
restoreSession();
render(<App />, document.getElementById('app')!);
