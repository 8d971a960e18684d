// A link to a question (from the site search or the FAQ index) opens its answer, so the
// visitor lands on the answer itself. Without JavaScript the question shows, closed.
(function () {
  function openLinkedQuestion() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }
  openLinkedQuestion();
  window.addEventListener("hashchange", openLinkedQuestion);
})();
