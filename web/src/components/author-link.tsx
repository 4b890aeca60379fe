/** A person's name, linking to their profile. */
export function AuthorLink({ userId, name }: { userId: string; name: string }) {
  return (
    <a class="author-link" href={`/users/${encodeURIComponent(userId)}`}>
      {name}
    </a>
  );
}
