// The friendly HTML page for an error a browser hit.
import { Layout } from './layout';

export function ErrorPage(props: { storeName: string; status: number; title: string; detail: string }) {
  return (
    <Layout title={props.title} storeName={props.storeName}>
      <section class="panel error-page">
        <h1>{props.title}</h1>
        <p>{props.detail}</p>
        <p>
          <a class="button" href="/">
            Back to the shop
          </a>
        </p>
      </section>
    </Layout>
  );
}
