package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CalculatorTest {
  private final Calculator calc = new Calculator();

  @Test
  void precedenceAssociativityAndParentheses() {
    assertThat(calc.calculate("(12 + 30) * 2")).isEqualTo(84);
    assertThat(calc.calculate("2 + 3 * 4")).isEqualTo(14);
    assertThat(calc.calculate("10 - 4 - 3")).isEqualTo(3);
    assertThat(calc.calculate("2 ^ 3 ^ 2")).isEqualTo(512);
    assertThat(calc.calculate("-2 ^ 2")).isEqualTo(-4);
    assertThat(calc.calculate("7 % 4 + .5")).isEqualTo(3.5);
    assertThat(calc.calculate("12 x 7")).isEqualTo(84);
    assertThat(calc.calculate("1 / 4")).isEqualTo(0.25);
  }

  @Test
  void anythingButArithmeticIsRefusedWithWhere() {
    assertThatThrownBy(() -> calc.calculate("System.exit(0)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 0");
    assertThatThrownBy(() -> calc.calculate("(1 + 2")).hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> calc.calculate("1 / 0")).hasMessageContaining("division by zero");
    assertThatThrownBy(() -> calc.calculate("1.2.3")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> calc.calculate("(".repeat(500) + "1" + ")".repeat(500)))
        .hasMessageContaining("nested too deeply");
  }

  @Test
  void theRuleResponderFindsTheArithmeticInAQuestion() {
    assertThat(MathResponder.expressionIn("What is (12 + 30) * 2?")).isEqualTo("(12 + 30) * 2");
    assertThat(MathResponder.expressionIn("what is 12 times 7")).isEqualTo("12 * 7");
    assertThat(MathResponder.expressionIn("hello")).isNull();
  }
}
