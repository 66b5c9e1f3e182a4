// "无" (none) excludes every other option of a multiple-choice question, and the reverse.
document.addEventListener("change", function (evt) {
  var box = evt.target;
  if (!box.matches || !box.matches("#qform input[type=checkbox]") || !box.checked) { return; }
  document.querySelectorAll('#qform input[type=checkbox]').forEach(function (other) {
    if (other.name !== box.name || other === box) { return; }
    if (box.dataset.exclusive || other.dataset.exclusive) { other.checked = false; }
  });
});
