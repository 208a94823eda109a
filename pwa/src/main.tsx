import { render } from 'preact';
import { App } from './app';
import { registerServiceWorker } from './lib/use-sw-update';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
registerServiceWorker();
