import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { adoptTokensFromFragment } from './api/oauth';
import { AuthProvider } from './lib/auth';
import { RouterProvider } from './lib/router';
import { ToastProvider } from './lib/toast';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/menus.css';
import './styles/pages.css';
import './styles/reader.css';
import './styles/social.css';

adoptTokensFromFragment();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider>
      <ToastProvider>
        <AuthProvider>
          <App />
        </AuthProvider>
      </ToastProvider>
    </RouterProvider>
  </StrictMode>,
);
