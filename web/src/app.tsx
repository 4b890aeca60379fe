import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, asApiError } from './api/errors.ts';
import { logOut, profile, session } from './api/session.ts';
import { Busy } from './components/busy.tsx';
import { ErrorNotice } from './components/error-notice.tsx';
import { ThemeSwitch } from './components/theme-switch.tsx';
import { useTitle } from './lib/use-title.ts';
import { ConfirmPage } from './pages/confirm.tsx';
import { ForgotPasswordPage } from './pages/forgot-password.tsx';
import { GalleryPage } from './pages/gallery.tsx';
import { GeneratePage } from './pages/generate.tsx';
import { ImageDetailPage } from './pages/image-detail.tsx';
import { LogInPage } from './pages/log-in.tsx';
import { MyImagesPage } from './pages/my-images.tsx';
import { ResetPasswordPage } from './pages/reset-password.tsx';
import { SignUpPage } from './pages/sign-up.tsx';
import { here, matchPath, navigate, place } from './router.ts';

type Params = Record<string, string>;

/** A page whose code is fetched the first time it is opened, to keep the first load small. */
function lazyPage(load: () => Promise<ComponentType<Params>>): ComponentType<Params> {
  let loaded: ComponentType<Params> | undefined;
  return function LazyPage(params: Params) {
    const [Page, setPage] = useState(() => loaded);
    const [error, setError] = useState<ApiError>();
    useEffect(() => {
      if (Page) return;
      load()
        .then((component) => {
          loaded = component;
          setPage(() => component);
        })
        .catch((failure) => setError(asApiError(failure)));
    }, [Page]);
    if (Page) return <Page {...params} />;
    return error ? <ErrorNotice error={error} /> : <Busy label="Loading the page…" />;
  };
}

const UploadPage = lazyPage(() => import('./pages/upload.tsx').then((module) => module.UploadPage));
const EditImagePage = lazyPage(() =>
  import('./pages/edit-image.tsx').then((module) => (params: Params) => (
    <module.EditImagePage imageId={params.imageId!} />
  )),
);
const CharactersPage = lazyPage(() =>
  import('./pages/characters.tsx').then((module) => module.CharactersPage),
);
const CharacterPage = lazyPage(() =>
  import('./pages/character-edit.tsx').then((module) => (params: Params) => (
    <module.CharacterEditPage characterId={params.characterId} />
  )),
);
const ProfilePage = lazyPage(() =>
  import('./pages/profile.tsx').then((module) => (params: Params) => (
    <module.ProfilePage userId={params.userId!} />
  )),
);
const LikedPage = lazyPage(() => import('./pages/profile.tsx').then((module) => module.LikedPage));
const AccountPage = lazyPage(() => import('./pages/account.tsx').then((module) => module.AccountPage));

interface Route {
  readonly path: string;
  readonly page: ComponentType<Params>;
  /** Only for a logged-in person; others are sent to log in first. */
  readonly user?: boolean;
}

const routes: readonly Route[] = [
  { path: '/', page: GalleryPage },
  { path: '/signup', page: SignUpPage },
  { path: '/confirm', page: ConfirmPage },
  { path: '/login', page: () => <LogInPage /> },
  { path: '/forgot-password', page: ForgotPasswordPage },
  { path: '/reset-password', page: ResetPasswordPage },
  { path: '/generate', page: GeneratePage, user: true },
  { path: '/mine', page: MyImagesPage, user: true },
  { path: '/likes', page: LikedPage, user: true },
  { path: '/users/:userId', page: ProfilePage },
  { path: '/upload', page: UploadPage, user: true },
  { path: '/images/:imageId', page: (params) => <ImageDetailPage imageId={params.imageId!} /> },
  { path: '/images/:imageId/edit', page: EditImagePage, user: true },
  { path: '/characters', page: CharactersPage, user: true },
  { path: '/characters/new', page: CharacterPage, user: true },
  { path: '/characters/:characterId', page: CharacterPage, user: true },
  { path: '/account', page: AccountPage, user: true },
];

function NotFoundPage() {
  useTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <a href="/">Go to the gallery</a>.
      </p>
    </section>
  );
}

function SiteHeader() {
  const me = profile.value;
  const [signOutError, setSignOutError] = useState<ApiError>();
  const [signingOut, setSigningOut] = useState(false);
  const current = place.value.path;
  // A note about a failed sign-out is stale once someone logs in again.
  useEffect(() => {
    if (me) setSignOutError(undefined);
  }, [me]);
  const link = (href: string, label: string) => (
    <li>
      <a class="nav-link" href={href} aria-current={current === href ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <header class="site-header">
      <a class="brand" href="/">
        Easel
      </a>
      <nav aria-label="Main">
        <ul>
          {link('/', 'Gallery')}
          {me && link('/generate', 'Generate')}
          {me && link('/mine', 'My images')}
          {me && link('/likes', 'Liked')}
          {me && link('/upload', 'Upload')}
          {me && link('/characters', 'Characters')}
        </ul>
      </nav>
      <div class="account">
        {session.value.status === 'restoring' ? null : me ? (
          <>
            <a class="nav-link" href="/account" aria-current={current === '/account' ? 'page' : undefined}>
              {me.displayName}
            </a>
            <button
              type="button"
              class="button secondary small"
              disabled={signingOut}
              onClick={async () => {
                setSigningOut(true);
                const failure = await logOut();
                setSigningOut(false);
                // A 401 means the server had already ended the session: nothing to report.
                setSignOutError(failure && failure.status !== 401 ? failure : undefined);
                navigate('/');
              }}
            >
              {signingOut ? 'Logging out…' : 'Log out'}
            </button>
          </>
        ) : (
          <>
            <a class="nav-link" href="/login" aria-current={current === '/login' ? 'page' : undefined}>
              Log in
            </a>
            <a
              class="button primary small"
              href="/signup"
              aria-current={current === '/signup' ? 'page' : undefined}
            >
              Sign up
            </a>
          </>
        )}
      </div>
      <ThemeSwitch />
      {signOutError && (
        <div class="header-notice">
          <p>You are logged out on this device, but the server could not be told:</p>
          <ErrorNotice error={signOutError} />
        </div>
      )}
    </header>
  );
}

export function App() {
  const { path } = place.value;
  const state = session.value;
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After a navigation, focus moves to the page, so a screen reader starts at its content.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [path]);

  let content = <NotFoundPage />;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    const Page = route.page;
    if (route.user && state.status === 'restoring') content = <Busy label="Restoring your session…" />;
    else if (route.user && state.status !== 'signed-in')
      content = (
        <LogInPage
          next={here()}
          notice={state.status === 'signed-out' ? (state.notice ?? 'Log in to go on.') : undefined}
        />
      );
    else content = <Page key={path} {...params} />;
    break;
  }

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to the content
      </a>
      <SiteHeader />
      <main id="main" ref={main} tabIndex={-1}>
        {content}
      </main>
      <footer class="site-footer">
        <p>Easel · images made with AI; check them before you share.</p>
      </footer>
    </>
  );
}
