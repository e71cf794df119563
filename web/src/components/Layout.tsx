import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAuth } from '../lib/auth';
import { Link, confirmLeave, useRouter } from '../lib/router';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

function UserMenu() {
  const { user, logout } = useAuth();
  const { navigate, location } = useRouter();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => setOpen(false), [location]);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  if (!user) return null;
  // As readers see them: the nickname, else "user <id>" (like author names); email or phone only below.
  const name = user.nickname || `user ${user.id}`;
  return (
    <div className="menu" ref={box}>
      <button type="button" className="menu-trigger" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Avatar id={user.id} name={name} size={34} />
        <span className="sr-only">Account menu for {name}</span>
      </button>
      {open && (
        <div className="menu-list" role="menu">
          <div className="menu-head">
            <strong>{name}</strong>
            {(user.email ?? user.phone) && <span className="muted">{user.email ?? user.phone}</span>}
          </div>
          <Link role="menuitem" to="/creator"><Icon name="file" /> My articles</Link>
          <Link role="menuitem" to="/bookmarks"><Icon name="folder" /> Collections</Link>
          <Link role="menuitem" to="/notifications"><Icon name="heart" /> Notifications</Link>
          <Link role="menuitem" to="/me"><Icon name="user" /> Profile</Link>
          <button
            type="button"
            role="menuitem"
            onClick={async () => {
              if (!confirmLeave()) return; // before logging out: staying must keep the session
              await logout();
              navigate('/', { force: true });
            }}
          >
            <Icon name="logout" /> Log out
          </button>
        </div>
      )}
    </div>
  );
}

function HeaderSearch() {
  const { navigate, location } = useRouter();
  const [q, setQ] = useState(location.path === '/find' ? (location.search.get('q') ?? '') : '');
  return (
    <form
      className="header-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) navigate(`/find?q=${encodeURIComponent(q.trim())}`);
      }}
    >
      <label className="sr-only" htmlFor="header-q">Search articles</label>
      <input id="header-q" type="search" placeholder="Search Webook" value={q} onChange={(e) => setQ(e.target.value)} />
    </form>
  );
}

function Header() {
  const { user } = useAuth();
  const { location } = useRouter();
  const query = location.search.toString();
  const next = encodeURIComponent(location.path + (query ? `?${query}` : ''));
  return (
    <header className="site-header">
      <div className="container header-row">
        <Link to="/" className="brand" aria-label="Webook home">
          <span className="brand-mark" aria-hidden="true">W</span>
          <span className="brand-name">Webook</span>
        </Link>
        <nav className="header-nav" aria-label="Main">
          <Link to="/" aria-current={location.path === '/' ? 'page' : undefined}>Home</Link>
          {user && <Link to="/creator" aria-current={location.path === '/creator' ? 'page' : undefined}>My articles</Link>}
        </nav>
        <HeaderSearch />
        <div className="header-actions">
          <Link to="/find" className="btn btn-ghost btn-sm show-sm" aria-label="Search"><Icon name="search" size={18} /></Link>
          {user === undefined ? null : user ? (
            <>
              <Link to="/write" className="btn btn-primary btn-sm" aria-label="Write">
                <Icon name="pen" size={16} /> <span className="hide-sm">Write</span>
              </Link>
              <UserMenu />
            </>
          ) : (
            <>
              <Link to={`/login?next=${next}`} className="btn btn-ghost btn-sm">Log in</Link>
              <Link to="/signup" className="btn btn-primary btn-sm">Sign up</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <Header />
      <main id="main" className="site-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <span>Webook · a community for engineers who write</span>
          <a href="/docs">API</a>
        </div>
      </footer>
    </>
  );
}
