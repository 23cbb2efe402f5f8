import { createRoot } from 'react-dom/client';
import { ChatPage } from './chat-page.js';
import './chat.css';

// The page lives at /p/<token>: the token in its own address is all it knows about the debtor.
const token = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
createRoot(document.getElementById('chat-root')!).render(<ChatPage token={token} />);
