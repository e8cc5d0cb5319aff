import { SharedPage } from "../../components/SharedPage";

/** A shared conversation, read-only: /shared/index.html#<token> (a static page: the token is in the hash). */
export default function Page() {
  return <SharedPage />;
}
