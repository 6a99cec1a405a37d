"""A line-by-line Python transcription of TensorFlow Playground's engine, used only as a test oracle.

Source: tensorflow/playground `src/nn.ts` (the version with dead links, commit bd89e3ad) and the
`oneStep`/`getLoss` functions of `src/playground.ts`. Each function names the TypeScript function it
transcribes; the loops keep TFP's order so that sums are accumulated exactly as TFP does. Names are the
TypeScript ones in snake_case. `Math.random` is replaced by an explicit `random` callable.
"""

import math
from types import SimpleNamespace


class Node:
    """nn.ts `class Node`: a neuron keeping its total input, output and their derivatives."""

    def __init__(self, id, activation, init_zero=False):
        self.id = id
        self.input_links = []
        self.bias = 0.1
        self.outputs = []
        self.total_input = 0.0
        self.output = 0.0
        self.output_der = 0.0
        self.input_der = 0.0
        self.acc_input_der = 0.0
        self.num_accumulated_ders = 0
        self.activation = activation
        if init_zero:
            self.bias = 0.0

    def update_output(self):
        """nn.ts `Node.updateOutput`."""
        self.total_input = self.bias
        for link in self.input_links:
            self.total_input += link.weight * link.source.output
        self.output = self.activation.output(self.total_input)
        return self.output


def _tanh_der(x):
    output = math.tanh(x)
    return 1 - output * output


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def _sigmoid_der(x):
    output = _sigmoid(x)
    return output * (1 - output)


# nn.ts `Errors.SQUARE`, an `ErrorFunction`.
SQUARE = SimpleNamespace(
    error=lambda output, target: 0.5 * (output - target) ** 2, der=lambda output, target: output - target
)

# nn.ts `Activations`, each an `ActivationFunction`.
TANH = SimpleNamespace(output=math.tanh, der=_tanh_der)
RELU = SimpleNamespace(output=lambda x: max(0.0, x), der=lambda x: 0 if x <= 0 else 1)
SIGMOID = SimpleNamespace(output=_sigmoid, der=_sigmoid_der)
LINEAR = SimpleNamespace(output=lambda x: x, der=lambda x: 1)

# nn.ts `RegularizationFunction.L1` and `.L2`.
L1 = SimpleNamespace(output=abs, der=lambda w: -1 if w < 0 else (1 if w > 0 else 0))
L2 = SimpleNamespace(output=lambda w: 0.5 * w * w, der=lambda w: w)


class Link:
    """nn.ts `class Link`: a weighted connection that accumulates its error derivative between updates."""

    def __init__(self, source, dest, regularization, random, init_zero=False):
        self.id = source.id + "-" + dest.id
        self.source = source
        self.dest = dest
        self.weight = random() - 0.5
        self.is_dead = False
        self.error_der = 0.0
        self.acc_error_der = 0.0
        self.num_accumulated_ders = 0
        self.regularization = regularization
        if init_zero:
            self.weight = 0.0


def build_network(network_shape, activation, output_activation, regularization, input_ids, random, init_zero=False):
    """nn.ts `buildNetwork`: a list of layers, each a list of Nodes, fully linked layer to layer."""
    num_layers = len(network_shape)
    id = 1
    network = []
    for layer_idx in range(num_layers):
        is_output_layer = layer_idx == num_layers - 1
        is_input_layer = layer_idx == 0
        current_layer = []
        network.append(current_layer)
        for i in range(network_shape[layer_idx]):
            node_id = str(id)
            if is_input_layer:
                node_id = input_ids[i]
            else:
                id += 1
            node = Node(node_id, output_activation if is_output_layer else activation, init_zero)
            current_layer.append(node)
            if layer_idx >= 1:
                for prev_node in network[layer_idx - 1]:
                    link = Link(prev_node, node, regularization, random, init_zero)
                    prev_node.outputs.append(link)
                    node.input_links.append(link)
    return network


def forward_prop(network, inputs):
    """nn.ts `forwardProp`: sets every node's total input and output; returns the output node's output."""
    input_layer = network[0]
    if len(inputs) != len(input_layer):
        raise ValueError("The number of inputs must match the number of nodes in the input layer")
    for node, value in zip(input_layer, inputs, strict=True):
        node.output = value
    for current_layer in network[1:]:
        for node in current_layer:
            node.update_output()
    return network[-1][0].output


def back_prop(network, target, error_func):
    """nn.ts `backProp`: accumulates each node's dE/d(total input) and each live link's dE/dw."""
    output_node = network[-1][0]
    output_node.output_der = error_func.der(output_node.output, target)
    for layer_idx in range(len(network) - 1, 0, -1):
        current_layer = network[layer_idx]
        for node in current_layer:
            node.input_der = node.output_der * node.activation.der(node.total_input)
            node.acc_input_der += node.input_der
            node.num_accumulated_ders += 1
        for node in current_layer:
            for link in node.input_links:
                if link.is_dead:
                    continue
                link.error_der = node.input_der * link.source.output
                link.acc_error_der += link.error_der
                link.num_accumulated_ders += 1
        if layer_idx == 1:
            continue
        for node in network[layer_idx - 1]:
            node.output_der = 0.0
            for output in node.outputs:
                node.output_der += output.weight * output.dest.input_der


def update_weights(network, learning_rate, regularization_rate):
    """nn.ts `updateWeights`: mean-gradient step, then the penalty step on the pre-step weight (L1 clips at 0)."""
    for current_layer in network[1:]:
        for node in current_layer:
            if node.num_accumulated_ders > 0:
                node.bias -= learning_rate * node.acc_input_der / node.num_accumulated_ders
                node.acc_input_der = 0.0
                node.num_accumulated_ders = 0
            for link in node.input_links:
                if link.is_dead:
                    continue
                regul_der = link.regularization.der(link.weight) if link.regularization else 0
                if link.num_accumulated_ders > 0:
                    link.weight = link.weight - (learning_rate / link.num_accumulated_ders) * link.acc_error_der
                    new_link_weight = link.weight - (learning_rate * regularization_rate) * regul_der
                    if link.regularization is L1 and link.weight * new_link_weight < 0:
                        # The weight crossed 0 due to the regularization term: TFP sets it to 0 for good.
                        link.weight = 0.0
                        link.is_dead = True
                    else:
                        link.weight = new_link_weight
                    link.acc_error_der = 0.0
                    link.num_accumulated_ders = 0


def one_step(network, train_inputs, train_labels, batch_size, learning_rate, regularization_rate):
    """playground.ts `oneStep`: one pass over the training points, updating after every `batch_size` points."""
    for i, (inputs, label) in enumerate(zip(train_inputs, train_labels, strict=True)):
        forward_prop(network, inputs)
        back_prop(network, label, SQUARE)
        if (i + 1) % batch_size == 0:
            update_weights(network, learning_rate, regularization_rate)


def get_loss(network, inputs_list, labels):
    """playground.ts `getLoss`: the mean over points of 1/2 (output - label)^2."""
    loss = 0.0
    for inputs, label in zip(inputs_list, labels, strict=True):
        output = forward_prop(network, inputs)
        loss += SQUARE.error(output, label)
    return loss / len(labels)
